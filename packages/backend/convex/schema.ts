import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

// #region user-fields
/** What the kit keeps of a Clerk user: the fields the app shows, never the raw Clerk payload. */
export const userFields = {
  clerkId: v.string(),
  name: v.string(),
  email: v.optional(v.string()),
  imageUrl: v.optional(v.string()),
  /** Clerk's `updated_at` (ms): an event is applied only when it is newer than this. */
  clerkUpdatedAt: v.number(),
};
// #endregion user-fields

/** What a delivered `user.created`/`user.updated` event did, as logged per svix message. */
export const upsertOutcome = v.union(
  v.literal("created"),
  v.literal("updated"),
  v.literal("stale"),
  v.literal("deleted_user"),
);

/** What a delivered `user.deleted` event did. */
export const deleteOutcome = v.union(v.literal("deleted"), v.literal("already_deleted"));

// #region tables
export default defineSchema({
  users: defineTable(userFields).index("by_clerk_id", ["clerkId"]),

  // One entry per processed svix message, written in the same transaction as the user write, so that a
  // redelivered message is recognised and changes nothing. Pruned after 30 days by crons.ts.
  webhookEvents: defineTable({
    svixId: v.string(),
    type: v.string(),
    receivedAt: v.number(),
    outcome: v.union(...upsertOutcome.members, ...deleteOutcome.members),
  })
    .index("by_svix_id", ["svixId"])
    .index("by_received_at", ["receivedAt"]),

  // Clerk never reuses a user id, so a tombstone is kept for good: no late or replayed event can bring a
  // deleted user back.
  deletedUsers: defineTable({
    clerkId: v.string(),
    deletedAt: v.number(),
  }).index("by_clerk_id", ["clerkId"]),
});
// #endregion tables
