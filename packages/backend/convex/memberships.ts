/**
 * Memberships leave in batches when their organization (orgs.ts) or their user (users.ts) is deleted. Apart
 * from orgs.ts so that users.ts, which serves users.current, bundles only this much of it.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, type MutationCtx } from "./_generated/server";

/** Per transaction: far below Convex's per-mutation limits, however large the organization. */
export const MEMBERSHIP_BATCH = 256;

type MembershipsOf = { clerkOrgId: string } | { clerkUserId: string };

/** Deletes a batch of an organization's or a user's memberships and schedules the next until none are left. */
export async function deleteMembershipsOf(ctx: MutationCtx, of: MembershipsOf): Promise<void> {
  const batch = await ("clerkOrgId" in of
    ? ctx.db
        .query("memberships")
        .withIndex("by_clerk_org_id_and_clerk_user_id", (q) => q.eq("clerkOrgId", of.clerkOrgId))
    : ctx.db.query("memberships").withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", of.clerkUserId))
  ).take(MEMBERSHIP_BATCH);
  for (const membership of batch) await ctx.db.delete("memberships", membership._id);
  if (batch.length === MEMBERSHIP_BATCH) {
    await ctx.scheduler.runAfter(0, internal.memberships.deleteAllOf, { of });
  }
}

export const deleteAllOf = internalMutation({
  args: { of: v.union(v.object({ clerkOrgId: v.string() }), v.object({ clerkUserId: v.string() })) },
  returns: v.null(),
  handler: async (ctx, { of }) => {
    await deleteMembershipsOf(ctx, of);
    return null;
  },
});
