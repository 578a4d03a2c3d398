/**
 * The `users` table as your app sees it. The sync writes its rows (convex/clerk/users.ts): Clerk's webhook, the
 * source of truth, and `ensureFromToken` below, which may only create the caller's own missing row.
 */
import type { WithoutSystemFields } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { type MutationCtx, mutation } from "./_generated/server";
import { type ClerkUserFields, sourceOf, userFieldsFromToken, userSource } from "./clerk/fields";
import { getClerkIdentity, userByClerkId } from "./clerk/identity";
import { insertUser, isTombstoned } from "./clerk/users";
import { userQuery } from "./functions";
import schema from "./schema";

/**
 * Values for the fields your app adds to `users`: every new row starts with them. A required field needs
 * one here (TypeScript says so where the sync inserts); an optional one may be left out. `satisfies` keeps
 * a literal's type, so `{ plan: "free" }` fits `plan: v.union(v.literal("free"), v.literal("pro"))`.
 */
export const newUserDefaults = {} satisfies Partial<AppUserFields>;

/** The fields your app adds to `users` (schema.ts), without the Clerk-owned ones. */
type AppUserFields = Omit<WithoutSystemFields<Doc<"users">>, keyof ClerkUserFields>;

/**
 * Everything in the app that belongs to a deleted user: one line per table that refers to `users`, each
 * deleting in bounded batches so no transaction outgrows Convex's limits. The sync calls this in the
 * transaction that deletes the row. A feature's clean-up is scheduled by reference (it runs right after this
 * transaction commits, and only if it does) rather than imported, so users.current does not carry its code.
 */
export async function onUserDeleted(ctx: MutationCtx, userId: Id<"users">): Promise<void> {
  // One line per table, e.g. for notes: internal.notes.deleteAllOf, { of: { userId } }
  await ctx.scheduler.runAfter(0, internal.messages.deleteAllOf, { of: { authorId: userId } });
}

const systemFields = { _id: v.id("users"), _creationTime: v.number() };

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
  handler: async (ctx) => (ctx.user === null ? null : { ...ctx.user, source: sourceOf(ctx.user) }),
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
