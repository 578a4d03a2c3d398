import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

/**
 * The fields Clerk owns. Sync (the webhook, the caller's token, `pnpm sync:clerk`) writes these and nothing
 * else, so any field your app adds to `users` survives every sync. Never the raw Clerk payload.
 */
export const clerkUserFields = {
  clerkId: v.string(),
  name: v.string(),
  /** A verified address only: an unverified one is whatever the person typed. */
  email: v.optional(v.string()),
  imageUrl: v.optional(v.string()),
  /**
   * Clerk's `updated_at` (ms) of the stored version, or TOKEN_VERSION for a row made from the caller's token,
   * which any version from Clerk replaces. A change is applied only when it is strictly newer than this.
   */
  clerkUpdatedAt: v.number(),
};

/** What Clerk says about an organization; never `members_count` (it changes without `updated_at`) or metadata. */
export const clerkOrganizationFields = {
  clerkOrgId: v.string(),
  name: v.string(),
  slug: v.string(), // "" when the instance has organization slugs turned off
  imageUrl: v.optional(v.string()),
  clerkUpdatedAt: v.number(),
};

/** `role` is Clerk's key (`org:admin`, `org:member`, …); `clerkCreatedAt` the generation: a re-join is newer. */
export const clerkMembershipFields = {
  clerkOrgId: v.string(),
  clerkUserId: v.string(),
  role: v.string(),
  clerkCreatedAt: v.number(),
  clerkUpdatedAt: v.number(),
};

/** A sync run's counts: kept in `syncRuns`, carried from step to step by convex/syncClerk.ts. */
export const syncTotals = v.object({
  created: v.number(),
  updated: v.number(),
  unchanged: v.number(),
  unreadable: v.number(),
  deleted: v.number(),
  requests: v.number(),
});

export default defineSchema({
  users: defineTable({
    ...clerkUserFields,
    // Your app's own fields go here. A required one also needs a value in `newUserDefaults` (users.ts).
  })
    .index("by_clerk_id", ["clerkId"])
    .index("by_clerk_updated_at", ["clerkUpdatedAt"]),

  // Deleted Clerk ids, kept for good: no late webhook or still-valid token can bring a deleted user back.
  deletedUsers: defineTable({
    clerkId: v.string(),
    deletedAt: v.number(),
  }).index("by_clerk_id", ["clerkId"]),

  // `pnpm sync:clerk` runs (convex/syncClerk.ts): each run's progress and summary, which the script polls.
  syncRuns: defineTable({
    dryRun: v.boolean(),
    status: v.union(v.literal("running"), v.literal("done"), v.literal("stopped")),
    message: v.string(),
    totals: syncTotals,
  }),
  // The Clerk ids a running sync has listed: a prune lookup that leaves one out is not believed.
  syncListed: defineTable({
    runId: v.id("syncRuns"),
    clerkId: v.string(),
  }).index("by_runId_and_clerkId", ["runId", "clerkId"]),

  // The example feature (convex/messages.ts); README → "Remove the example" says what goes with it.
  messages: defineTable({
    authorId: v.id("users"),
    body: v.string(),
    /** The organization whose room it is in; absent: the shared room. */
    clerkOrgId: v.optional(v.string()),
  })
    .index("by_clerkOrgId", ["clerkOrgId"])
    .index("by_authorId", ["authorId"]),

  // Clerk organizations (optional: empty on an instance without them). Keyed by Clerk ids, so a membership
  // never waits for its organization's or its user's row; it counts once both exist (functions.ts).
  organizations: defineTable(clerkOrganizationFields).index("by_clerk_org_id", ["clerkOrgId"]),
  memberships: defineTable(clerkMembershipFields)
    .index("by_clerk_org_id_and_clerk_user_id", ["clerkOrgId", "clerkUserId"])
    .index("by_clerk_user_id", ["clerkUserId"]),
  // A deleted organization never comes back.
  deletedOrganizations: defineTable({
    clerkOrgId: v.string(),
    deletedAt: v.number(),
  }).index("by_clerk_org_id", ["clerkOrgId"]),
  // The newest deleted generation (`created_at`) of each membership: blocks its late events, not a re-join.
  deletedMemberships: defineTable({
    clerkOrgId: v.string(),
    clerkUserId: v.string(),
    clerkCreatedAt: v.number(),
  }).index("by_clerk_org_id_and_clerk_user_id", ["clerkOrgId", "clerkUserId"]),
});
