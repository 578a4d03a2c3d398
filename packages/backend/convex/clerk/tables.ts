/**
 * The sync engine's own tables: what it remembers besides `users` (schema.ts spreads these in). Your code
 * reads them (through functions.ts) but never writes them: only Clerk's webhook and `pnpm sync:clerk` do.
 */
import { defineTable } from "convex/server";
import { v } from "convex/values";

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

/** What a sync run brings in step, one list after the other. */
export const syncKind = v.union(v.literal("users"), v.literal("organizations"), v.literal("memberships"));

/** A sync run's counts: kept in `syncRuns`, carried from step to step by sync.ts. */
export const syncTotals = v.object({
  created: v.number(),
  updated: v.number(),
  unchanged: v.number(),
  unreadable: v.number(),
  deleted: v.number(),
  requests: v.number(),
});

/** A `pnpm sync:clerk` run's record (sync.ts): its progress and summary, which the script polls. */
export const syncRun = {
  dryRun: v.boolean(),
  /** Started by the daily cron, not by hand: only its repairs say the webhook missed something. */
  daily: v.optional(v.boolean()),
  status: v.union(v.literal("running"), v.literal("done"), v.literal("stopped")),
  message: v.string(),
  totals: syncTotals,
};

export const clerkTables = {
  // Deleted Clerk ids, kept for good: no late webhook or still-valid token can bring a deleted user back.
  deletedUsers: defineTable({
    clerkId: v.string(),
    deletedAt: v.number(),
  }).index("by_clerk_id", ["clerkId"]),

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

  syncRuns: defineTable(syncRun),
  // The Clerk ids a running sync has listed: a page with none that is new stops it, and a local row it did
  // not list is a candidate for deletion.
  syncListed: defineTable({
    runId: v.id("syncRuns"),
    clerkId: v.string(),
  }).index("by_run_id_and_clerk_id", ["runId", "clerkId"]),
  // Those candidates, each confirmed with Clerk before it is deleted: a table, as no argument or document may
  // hold more than 8,192 of them. A membership's (`org/user`) keeps the generation the run saw.
  syncUnlisted: defineTable({
    runId: v.id("syncRuns"),
    kind: syncKind,
    clerkId: v.string(),
    clerkCreatedAt: v.optional(v.number()),
  }).index("by_run_id_and_kind", ["runId", "kind"]),
};
