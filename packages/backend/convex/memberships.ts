/** Memberships go in batches when their organization or user is deleted (apart from orgs.ts: users.ts imports it). */
import { type Infer, v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, type MutationCtx } from "./_generated/server";

/** Per transaction: far below Convex's per-mutation limits, however large the organization. */
export const MEMBERSHIP_BATCH = 256;

const of = v.union(v.object({ clerkOrgId: v.string() }), v.object({ clerkUserId: v.string() }));

/** Deletes a batch of an organization's or a user's memberships and schedules the next until none are left. */
export async function deleteMembershipsOf(ctx: MutationCtx, owner: Infer<typeof of>): Promise<void> {
  const memberships = ctx.db.query("memberships");
  const batch = await ("clerkOrgId" in owner
    ? memberships.withIndex("by_clerk_org_id_and_clerk_user_id", (q) => q.eq("clerkOrgId", owner.clerkOrgId))
    : memberships.withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", owner.clerkUserId))
  ).take(MEMBERSHIP_BATCH);
  for (const membership of batch) await ctx.db.delete("memberships", membership._id);
  if (batch.length === MEMBERSHIP_BATCH)
    await ctx.scheduler.runAfter(0, internal.memberships.deleteAllOf, { of: owner });
}

export const deleteAllOf = internalMutation({
  args: { of },
  returns: v.null(),
  handler: async (ctx, args) => {
    await deleteMembershipsOf(ctx, args.of);
    return null;
  },
});
