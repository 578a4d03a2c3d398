/**
 * The `users` table and the one rule every write follows. Rows arrive two ways: Clerk's webhook (the source
 * of truth: it alone updates and deletes) and the signed-in caller's own token (it may only create their
 * missing row, at a version any webhook replaces). Either way a change applies only when it is strictly
 * newer, and a deleted Clerk id never comes back.
 */
import { ConvexError, v } from "convex/values";
import type { Id } from "./_generated/dataModel";
import { internalMutation, type MutationCtx, mutation, type QueryCtx } from "./_generated/server";
import { type ClerkUserFields, userFieldsFromToken } from "./clerk";
import { userByClerkId, userQuery } from "./functions";
import { deleteMembershipsOf } from "./memberships";
import { deleteMessagesOf } from "./messages";
import schema, { clerkUserFields } from "./schema";

/** The signed-in caller's user, or null when signed out or before the row exists. */
export const current = userQuery({
  args: {},
  returns: v.union(v.null(), schema.doc("users")),
  handler: async (ctx) => ctx.user,
});

// #region ensure
/**
 * Creates the caller's row from their verified token if it is missing, so a new user is on screen at once
 * (and on a local deployment, which Clerk's webhook cannot reach). Takes no arguments: nothing a client
 * sends can end up in `users`. Returns the row's id, or null for a user deleted in Clerk.
 */
export const ensureFromToken = mutation({
  args: {},
  returns: v.union(v.id("users"), v.null()),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
    // A token stays valid for a minute after Clerk deletes its user.
    if (await isTombstoned(ctx, identity.subject)) return null;
    const existing = await userByClerkId(ctx, identity.subject);
    if (existing !== null) return existing._id;
    return await insertUser(ctx, userFieldsFromToken(identity));
  },
});
// #endregion ensure

// #region upsert
type UpsertOutcome = "created" | "updated" | "stale" | "deleted_user";

/**
 * Values for the fields your app adds to `users`: every new row starts with them. A required field needs
 * one here (TypeScript says so at `insert` below); an optional one may be left out.
 */
const newUserDefaults = {};

async function insertUser(ctx: MutationCtx, fields: ClerkUserFields): Promise<Id<"users">> {
  return await ctx.db.insert("users", { ...newUserDefaults, ...fields });
}

/**
 * Applies one version of a Clerk user (from a webhook or `pnpm sync:clerk`). Redelivered, late and
 * reordered events need no bookkeeping of their own: each is simply not newer than what is stored.
 */
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
  // Only the Clerk-owned fields, each named, so an address Clerk no longer has is removed (undefined
  // clears a field in a patch) and your app's fields are left alone.
  if (!dryRun) {
    await ctx.db.patch("users", existing._id, {
      name: user.name,
      email: user.email,
      imageUrl: user.imageUrl,
      clerkUpdatedAt: user.clerkUpdatedAt,
    });
  }
  return "updated";
}

export const upsertFromClerk = internalMutation({
  args: { user: v.object(clerkUserFields) },
  returns: v.union(v.literal("created"), v.literal("updated"), v.literal("stale"), v.literal("deleted_user")),
  handler: async (ctx, { user }) => await applyClerkUser(ctx, user),
});
// #endregion upsert

// #region delete
type DeleteOutcome = "deleted" | "already_deleted";

/** Removes the user and their app data, and keeps the tombstone, in the caller's transaction. */
export async function applyClerkDeletion(
  ctx: MutationCtx,
  clerkId: string,
  { dryRun = false } = {},
): Promise<DeleteOutcome> {
  const existing = await userByClerkId(ctx, clerkId);
  if (dryRun) return existing === null ? "already_deleted" : "deleted";
  if (existing !== null) {
    await ctx.db.delete("users", existing._id);
    await onUserDeleted(ctx, existing._id, clerkId);
  }
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

// #region cascade
/**
 * Everything in the app that belongs to a deleted user: one line per table that refers to `users`. Each
 * deletes a bounded batch here and schedules the rest, so no transaction outgrows Convex's limits.
 */
async function onUserDeleted(ctx: MutationCtx, userId: Id<"users">, clerkId: string): Promise<void> {
  await deleteMessagesOf(ctx, userId); // the example feature
  await deleteMembershipsOf(ctx, { clerkUserId: clerkId });
}
// #endregion cascade
// #endregion delete

async function isTombstoned(ctx: QueryCtx, clerkId: string): Promise<boolean> {
  const tombstone = await ctx.db
    .query("deletedUsers")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
  return tombstone !== null;
}
