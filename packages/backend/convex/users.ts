/**
 * The `users` table and the rules that keep it in step with Clerk. The webhook (http.ts) only verifies and
 * parses; every decision about what a delivery may change is made here, inside one transaction.
 */
import { ConvexError, type Infer, v } from "convex/values";
import type { Doc } from "./_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx, query } from "./_generated/server";
import { deleteOutcome, upsertOutcome, userFields } from "./schema";
import { findWebhookEvent, recordWebhookEvent } from "./webhookEvents";

const userDoc = v.object({ _id: v.id("users"), _creationTime: v.number(), ...userFields });
const userArg = v.object(userFields);

async function userByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"users"> | null> {
  return await ctx.db
    .query("users")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
}

async function tombstoneFor(ctx: QueryCtx, clerkId: string): Promise<Doc<"deletedUsers"> | null> {
  return await ctx.db
    .query("deletedUsers")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
}

// #region current
/** The signed-in caller's user, or null when signed out or before the webhook has created it. */
export async function getCurrentUser(ctx: QueryCtx): Promise<Doc<"users"> | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  return await userByClerkId(ctx, identity.subject);
}

/** For functions that make no sense without a synced user; the client sees why in the error's `code`. */
export async function getCurrentUserOrThrow(ctx: QueryCtx): Promise<Doc<"users">> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) {
    throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  }
  const user = await userByClerkId(ctx, identity.subject);
  if (user === null) {
    throw new ConvexError({
      code: "USER_NOT_SYNCED",
      message: "Your account is still being set up; Clerk's webhook has not reached this deployment yet.",
    });
  }
  return user;
}

export const current = query({
  args: {},
  returns: v.union(v.null(), userDoc),
  handler: async (ctx) => await getCurrentUser(ctx),
});
// #endregion current

// #region upsert
async function applyUpsert(
  ctx: MutationCtx,
  user: Infer<typeof userArg>,
): Promise<Infer<typeof upsertOutcome>> {
  // Clerk ids are never reused, so an event for a deleted id is always a late or replayed one.
  if ((await tombstoneFor(ctx, user.clerkId)) !== null) return "deleted_user";

  const existing = await userByClerkId(ctx, user.clerkId);
  // `user.updated` may overtake `user.created`; whichever arrives first creates the user.
  if (existing === null) {
    await ctx.db.insert("users", user);
    return "created";
  }
  // Svix does not keep order: only a strictly newer version may replace what is stored.
  if (user.clerkUpdatedAt <= existing.clerkUpdatedAt) return "stale";
  // Replace, not patch, so a field cleared in Clerk (a removed picture) is cleared here too.
  await ctx.db.replace("users", existing._id, user);
  return "updated";
}

export const upsertFromClerk = internalMutation({
  args: {
    user: userArg,
    // Both absent for the backfill, which has no svix message to log.
    svixId: v.optional(v.string()),
    eventType: v.optional(v.union(v.literal("user.created"), v.literal("user.updated"))),
  },
  returns: v.union(...upsertOutcome.members, v.literal("duplicate")),
  handler: async (ctx, { user, svixId, eventType }) => {
    if (svixId !== undefined && (await findWebhookEvent(ctx, svixId)) !== null) return "duplicate";
    const outcome = await applyUpsert(ctx, user);
    if (svixId !== undefined) {
      // Same transaction as the user write: both commit or neither does, so a retry after a failure is
      // applied and a retry after a success is a no-op. A caller that names no type is applying the user's current state, which is what `user.updated` is.
      await recordWebhookEvent(ctx, { svixId, type: eventType ?? "user.updated", outcome });
    }
    return outcome;
  },
});
// #endregion upsert

// #region delete
export const deleteFromClerk = internalMutation({
  args: { clerkId: v.string(), svixId: v.optional(v.string()) },
  returns: v.union(...deleteOutcome.members, v.literal("duplicate")),
  handler: async (ctx, { clerkId, svixId }) => {
    if (svixId !== undefined && (await findWebhookEvent(ctx, svixId)) !== null) return "duplicate";

    const existing = await userByClerkId(ctx, clerkId);
    if (existing !== null) await ctx.db.delete("users", existing._id);
    // Even for an id never seen: its `user.created` may still be on its way and must not win.
    if ((await tombstoneFor(ctx, clerkId)) === null) {
      await ctx.db.insert("deletedUsers", { clerkId, deletedAt: Date.now() });
    }
    const outcome = existing === null ? "already_deleted" : "deleted";
    if (svixId !== undefined) await recordWebhookEvent(ctx, { svixId, type: "user.deleted", outcome });
    return outcome;
  },
});
// #endregion delete
