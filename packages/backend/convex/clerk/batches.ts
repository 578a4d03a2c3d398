import type { OptionalRestArgs, SchedulableFunctionReference } from "convex/server";
import { type Infer, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Per transaction: far below Convex's per-mutation limits, however many rows a cascade meets. */
export const CASCADE_BATCH = 256;

/** Deletes a batch of `rows`; while more may be left, schedules `next` (which calls this again). */
export async function deleteInBatches<T extends TableNames, Next extends SchedulableFunctionReference>(
  ctx: MutationCtx,
  table: T,
  rows: { take(n: number): Promise<Doc<T>[]> },
  next: Next,
  ...args: OptionalRestArgs<Next>
): Promise<void> {
  const batch = await rows.take(CASCADE_BATCH);
  for (const row of batch) await ctx.db.delete(table, row._id);
  if (batch.length === CASCADE_BATCH) await ctx.scheduler.runAfter(0, next, ...args);
}

/** Whose memberships go: a deleted organization's or a deleted user's (both keyed by Clerk id). */
export const owner = v.union(v.object({ clerkOrgId: v.string() }), v.object({ clerkUserId: v.string() }));

/** A batch of them; the rest by reference to orgs.deleteMembershipsOf, so users.ts need not import orgs.ts. */
export async function deleteMembershipsBatch(ctx: MutationCtx, of: Infer<typeof owner>): Promise<void> {
  const memberships = ctx.db.query("memberships");
  const rows =
    "clerkOrgId" in of
      ? memberships.withIndex("by_clerk_org_id_and_clerk_user_id", (q) => q.eq("clerkOrgId", of.clerkOrgId))
      : memberships.withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", of.clerkUserId));
  await deleteInBatches(ctx, "memberships", rows, internal.clerk.orgs.deleteMembershipsOf, { of });
}
