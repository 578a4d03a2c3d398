/**
 * The `users` table and the rules that keep it in step with Clerk. The webhook (http.ts) only verifies and
 * parses; every decision about what a delivery may change is made here, inside one transaction.
 */
import { createClerkClient, type User } from "@clerk/backend";
import { isClerkAPIResponseError } from "@clerk/backend/errors";
import { clerkUserSchema } from "@repo/shared/clerk";
import { type UserFields, userFieldsFromClerk } from "@repo/shared/user";
import { ConvexError, type Infer, v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import {
  internalAction,
  internalMutation,
  type MutationCtx,
  type QueryCtx,
  query,
} from "./_generated/server";
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
      // applied and a retry after a success is a no-op. No type given means "the user's current state",
      // which is what `user.updated` carries.
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

// #region backfill
/** Clerk's largest page; 500 order-safe upserts also fit well inside one mutation's limits. */
const BACKFILL_PAGE_SIZE = 500;
/** Consecutive 429s on one page before the backfill stops and says so, instead of retrying forever. */
const BACKFILL_MAX_RATE_LIMIT_RETRIES = 10;
/** Used when a 429 comes without a usable Retry-After header. */
const BACKFILL_DEFAULT_RETRY_AFTER_SECONDS = 10;

const pageCounts = { created: v.number(), updated: v.number(), skipped: v.number() };
const backfillTotals = v.object({ pages: v.number(), ...pageCounts });
type BackfillTotals = Infer<typeof backfillTotals>;

/**
 * The SDK's `User` is camelCase, but `raw` keeps the snake_case JSON that webhooks carry, so the backfill
 * goes through the very parser and mapper the webhook uses. Undefined for a user that does not parse.
 */
function userFieldsFromSdkUser(user: User): UserFields | undefined {
  const parsed = clerkUserSchema.safeParse(user.raw);
  return parsed.success ? userFieldsFromClerk(parsed.data) : undefined;
}

/**
 * One page of the backfill, each user through the webhook's order-safe upsert (`applyUpsert`, the rules of
 * `upsertFromClerk` without a svix id). One transaction per page rather than 500 `upsertFromClerk` calls:
 * Convex advises few, batched calls from an action, and a page then lands whole or not at all.
 */
export const upsertPageFromClerk = internalMutation({
  args: { users: v.array(userArg) },
  returns: v.object(pageCounts),
  handler: async (ctx, { users }) => {
    const counts = { created: 0, updated: 0, skipped: 0 };
    for (const user of users) {
      const outcome = await applyUpsert(ctx, user);
      // `stale`: the webhook already stored this version or a newer one; `deleted_user`: tombstoned.
      if (outcome === "created" || outcome === "updated") counts[outcome] += 1;
      else counts.skipped += 1;
    }
    return counts;
  },
});

/**
 * Imports the users who are in Clerk but not here (signed up before the webhook existed): one page per
 * run, each run scheduling the next, so no run nears Convex's time or write limits. Safe to run again.
 * Start it with `pnpm backfill`; progress and the summary are in the deployment's logs.
 */
export const backfillFromClerk = internalAction({
  args: {
    offset: v.optional(v.number()),
    totals: v.optional(backfillTotals),
    rateLimitRetries: v.optional(v.number()),
  },
  returns: v.object({
    status: v.union(v.literal("continuing"), v.literal("rate_limited"), v.literal("done")),
    offset: v.number(),
    totals: backfillTotals,
  }),
  handler: async (ctx, args) => {
    // Read per run, never at module load: a missing key must not break deploying the other functions.
    const secretKey = process.env.CLERK_SECRET_KEY;
    if (!secretKey) {
      throw new Error(
        "CLERK_SECRET_KEY is not set on this deployment. Copy the secret key from Clerk dashboard → API keys, run `pnpm convex env set CLERK_SECRET_KEY sk_...`, then `pnpm backfill` again.",
      );
    }
    const offset = args.offset ?? 0;
    const totals = args.totals ?? { pages: 0, created: 0, updated: 0, skipped: 0 };
    const clerk = createClerkClient({ secretKey, telemetry: { disabled: true } });

    let page: { data: User[]; totalCount: number };
    try {
      // Oldest first, so users who sign up meanwhile join the end of the list instead of shifting pages.
      page = await clerk.users.getUserList({ limit: BACKFILL_PAGE_SIZE, offset, orderBy: "+created_at" });
    } catch (error) {
      if (!isClerkAPIResponseError(error) || error.status !== 429) throw error;
      const retries = (args.rateLimitRetries ?? 0) + 1;
      if (retries > BACKFILL_MAX_RATE_LIMIT_RETRIES) {
        throw new Error(
          `backfill: Clerk rate-limited the page at offset ${offset} ${retries - 1} times in a row; run \`pnpm backfill\` later (users already imported are kept).`,
        );
      }
      const delaySeconds = error.retryAfter ?? BACKFILL_DEFAULT_RETRY_AFTER_SECONDS;
      console.log(`backfill: Clerk rate limit (429) at offset ${offset}; retrying in ${delaySeconds}s`);
      await ctx.scheduler.runAfter(delaySeconds * 1000, internal.users.backfillFromClerk, {
        offset,
        totals,
        rateLimitRetries: retries,
      });
      return { status: "rate_limited" as const, offset, totals };
    }

    const users: UserFields[] = [];
    let unreadable = 0;
    for (const user of page.data) {
      const fields = userFieldsFromSdkUser(user);
      if (fields === undefined) {
        unreadable += 1;
        console.warn(`backfill: skipped ${user.id}: Clerk's JSON for it does not parse`);
      } else users.push(fields);
    }
    const counts = await ctx.runMutation(internal.users.upsertPageFromClerk, { users });
    const next: BackfillTotals = {
      pages: totals.pages + 1,
      created: totals.created + counts.created,
      updated: totals.updated + counts.updated,
      skipped: totals.skipped + counts.skipped + unreadable,
    };
    const seen = offset + page.data.length;
    console.log(
      `backfill: page ${next.pages} (${seen} of ${page.totalCount} users): ${counts.created} created, ${counts.updated} updated, ${counts.skipped + unreadable} skipped`,
    );

    if (page.data.length < BACKFILL_PAGE_SIZE || seen >= page.totalCount) {
      console.log(
        `backfill: done. ${next.pages} pages, ${next.created} created, ${next.updated} updated, ${next.skipped} skipped (already up to date, deleted, or unreadable)`,
      );
      return { status: "done" as const, offset: seen, totals: next };
    }
    await ctx.scheduler.runAfter(0, internal.users.backfillFromClerk, { offset: seen, totals: next });
    return { status: "continuing" as const, offset: seen, totals: next };
  },
});
// #endregion backfill
