import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

// #region user-fields
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
// #endregion user-fields

// #region tables
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

  // The example feature (convex/messages.ts); README → "Remove the example" says what goes with it.
  messages: defineTable({
    authorId: v.id("users"),
    body: v.string(),
  }).index("by_authorId", ["authorId"]),
});
// #endregion tables
