/**
 * Applies Clerk's users to `users`, on the one rule every write follows: a change applies only when it is
 * strictly newer than what is stored, and a deleted Clerk id never comes back (its tombstone stays).
 * Redelivered, late and reordered events need no bookkeeping of their own: each is simply not newer.
 */
import { v } from "convex/values";
import type { Id } from "../_generated/dataModel";
import { internalMutation, internalQuery, type MutationCtx, type QueryCtx } from "../_generated/server";
import { newUserDefaults, onUserDeleted } from "../users";
import { deleteMembershipsBatch } from "./batches";
import { type ClerkUserFields, clerkUserFields, clerkUserPatch, sourceOf, userSource } from "./fields";
import { userByClerkId } from "./identity";

export async function insertUser(ctx: MutationCtx, fields: ClerkUserFields): Promise<Id<"users">> {
  return await ctx.db.insert("users", { ...newUserDefaults, ...fields });
}

export async function isTombstoned(ctx: QueryCtx, clerkId: string): Promise<boolean> {
  const tombstone = await ctx.db
    .query("deletedUsers")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
  return tombstone !== null;
}

type UpsertOutcome = "created" | "updated" | "stale" | "deleted_user";

/** Applies one version of a Clerk user (from a webhook or `pnpm sync:clerk`). */
export async function applyClerkUser(
  ctx: MutationCtx,
  user: ClerkUserFields,
  { dryRun = false } = {},
): Promise<UpsertOutcome> {
  if (await isTombstoned(ctx, user.clerkId)) return "deleted_user";
  const existing = await userByClerkId(ctx, user.clerkId);
  // Whichever arrives first creates the row: `user.updated` may overtake `user.created`.
  if (existing === null) {
    if (!dryRun) await insertUser(ctx, user);
    return "created";
  }
  if (user.clerkUpdatedAt <= existing.clerkUpdatedAt) return "stale";
  // Every Clerk-owned field by name, so an address Clerk no longer has is removed, and your app's are left alone.
  if (!dryRun) await ctx.db.patch("users", existing._id, clerkUserPatch(user));
  return "updated";
}

export const upsertFromClerk = internalMutation({
  args: { user: v.object(clerkUserFields) },
  returns: v.union(v.literal("created"), v.literal("updated"), v.literal("stale"), v.literal("deleted_user")),
  handler: async (ctx, { user }) => await applyClerkUser(ctx, user),
});

type DeleteOutcome = "deleted" | "already_deleted";

/** Removes the user and their app data (users.ts → onUserDeleted), and keeps the tombstone. */
export async function applyClerkDeletion(
  ctx: MutationCtx,
  clerkId: string,
  { dryRun = false } = {},
): Promise<DeleteOutcome> {
  const existing = await userByClerkId(ctx, clerkId);
  if (dryRun) return existing === null ? "already_deleted" : "deleted";
  if (existing !== null) {
    await ctx.db.delete("users", existing._id);
    await onUserDeleted(ctx, existing._id);
  }
  // Memberships are keyed by Clerk id and may have arrived before (or without) the user's row.
  await deleteMembershipsBatch(ctx, { clerkUserId: clerkId });
  // Even for an id never seen: its `user.created` may still be on its way and must not win.
  if (!(await isTombstoned(ctx, clerkId))) {
    await ctx.db.insert("deletedUsers", { clerkId, deletedAt: Date.now() });
  }
  return existing === null ? "already_deleted" : "deleted";
}

export const deleteFromClerk = internalMutation({
  args: { clerkId: v.string() },
  returns: v.union(v.literal("deleted"), v.literal("already_deleted")),
  handler: async (ctx, { clerkId }) => await applyClerkDeletion(ctx, clerkId),
});

/**
 * What `pnpm smoke` reads through `convex run` to see the webhook's effect: the row's name and where its
 * version came from, and whether the id is tombstoned. Internal: no client can ask about another user.
 */
export const syncState = internalQuery({
  args: { clerkId: v.string() },
  returns: v.object({
    row: v.union(v.null(), v.object({ name: v.string(), source: userSource })),
    tombstoned: v.boolean(),
  }),
  handler: async (ctx, { clerkId }) => {
    const row = await userByClerkId(ctx, clerkId);
    return {
      row: row === null ? null : { name: row.name, source: sourceOf(row) },
      tombstoned: await isTombstoned(ctx, clerkId),
    };
  },
});
