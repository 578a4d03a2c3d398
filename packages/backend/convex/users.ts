/**
 * The `users` table and the one rule every write follows. Rows arrive two ways: Clerk's webhook (the source
 * of truth: it alone updates and deletes) and the signed-in caller's own token (it may only create their
 * missing row, at a version any webhook replaces). Either way a change applies only when it is strictly
 * newer, and a deleted Clerk id never comes back.
 */
import { TOKEN_VERSION } from "@repo/shared/config";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import {
  internalMutation,
  internalQuery,
  type MutationCtx,
  mutation,
  type QueryCtx,
} from "./_generated/server";
import { type ClerkUserFields, userFieldsFromToken } from "./clerk";
import { deleteInBatches, getClerkIdentity, userByClerkId, userQuery } from "./functions";
import schema, { clerkUserFields } from "./schema";

const systemFields = { _id: v.id("users"), _creationTime: v.number() };
const userSource = v.union(v.literal("token"), v.literal("clerk"));

/**
 * The signed-in caller's user, or null when signed out or before the row exists. `source` says where the
 * stored version came from: "token" (the caller's own token, until Clerk's first webhook replaces it) or
 * "clerk" (a webhook or `pnpm sync:clerk`), so no client compares `clerkUpdatedAt` with TOKEN_VERSION.
 */
export const current = userQuery({
  args: {},
  returns: v.union(
    v.null(),
    v.object({ ...schema.tables.users.validator.fields, ...systemFields, source: userSource }),
  ),
  handler: async (ctx) =>
    ctx.user === null
      ? null
      : {
          ...ctx.user,
          source: ctx.user.clerkUpdatedAt === TOKEN_VERSION ? ("token" as const) : ("clerk" as const),
        },
});

/**
 * Creates the caller's row from their verified token if it is missing, so a new user is on screen at once
 * (and on a local deployment, which Clerk's webhook cannot reach). Takes no arguments: nothing a client
 * sends can end up in `users`. Returns the row's id, or null for a user deleted in Clerk.
 */
export const ensureFromToken = mutation({
  args: {},
  returns: v.union(v.id("users"), v.null()),
  handler: async (ctx) => {
    const identity = await getClerkIdentity(ctx);
    if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
    // A token stays valid for a minute after Clerk deletes its user.
    if (await isTombstoned(ctx, identity.subject)) return null;
    const existing = await userByClerkId(ctx, identity.subject);
    if (existing !== null) return existing._id;
    return await insertUser(ctx, userFieldsFromToken(identity));
  },
});

type UpsertOutcome = "created" | "updated" | "stale" | "deleted_user";

/**
 * Values for the fields your app adds to `users`: every new row starts with them. A required field needs
 * one here (TypeScript says so at `insert` below); an optional one may be left out.
 */
export const newUserDefaults = {};

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
    await onUserDeleted(ctx, existing._id);
  }
  // Memberships are keyed by Clerk id and may have arrived before (or without) the user's row.
  const memberships = ctx.db
    .query("memberships")
    .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", clerkId));
  await deleteInBatches(ctx, "memberships", memberships, internal.orgs.deleteMembershipsOf, {
    of: { clerkUserId: clerkId },
  });
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
 * Everything in the app that belongs to a deleted user: one line per table that refers to `users`, each
 * deleting in bounded batches so no transaction outgrows Convex's limits. A feature's clean-up is scheduled
 * by reference (it runs right after this transaction commits, and only if it does) rather than imported, so
 * this module, which serves `users.current`, does not carry every feature's code.
 */
async function onUserDeleted(ctx: MutationCtx, userId: Id<"users">): Promise<void> {
  await ctx.scheduler.runAfter(0, internal.messages.deleteAllOf, { of: { authorId: userId } }); // the example feature
}

export async function isTombstoned(ctx: QueryCtx, clerkId: string): Promise<boolean> {
  const tombstone = await ctx.db
    .query("deletedUsers")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
  return tombstone !== null;
}

/**
 * What `pnpm smoke` reads through `convex run` to see the webhook's effect: the row's name and where its
 * version came from, and whether the id is tombstoned. Internal: no client can ask about another user.
 */
export const syncState = internalQuery({
  args: { clerkId: v.string() },
  returns: v.object({
    row: v.union(
      v.null(),
      v.object({ name: v.string(), source: v.union(v.literal("token"), v.literal("clerk")) }),
    ),
    tombstoned: v.boolean(),
  }),
  handler: async (ctx, { clerkId }) => {
    const row = await userByClerkId(ctx, clerkId);
    return {
      row:
        row === null
          ? null
          : {
              name: row.name,
              source: row.clerkUpdatedAt === TOKEN_VERSION ? ("token" as const) : ("clerk" as const),
            },
      tombstoned: await isTombstoned(ctx, clerkId),
    };
  },
});
