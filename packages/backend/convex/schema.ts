import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { clerkUserFields } from "./clerk/fields";
import { clerkTables } from "./clerk/tables";

export default defineSchema({
  users: defineTable({
    // Written only by the sync (convex/clerk/): the webhook, the caller's token, `pnpm sync:clerk`.
    ...clerkUserFields,
    // Your app's own fields go here. A required one also needs a value in `newUserDefaults` (users.ts).
  })
    .index("by_clerk_id", ["clerkId"])
    .index("by_clerk_updated_at", ["clerkUpdatedAt"]),

  // The example feature (convex/messages.ts); README → "What you can delete" says what goes with it.
  messages: defineTable({
    authorId: v.id("users"),
    body: v.string(),
    /** The organization whose room it is in; absent: the shared room. */
    clerkOrgId: v.optional(v.string()),
  })
    .index("by_clerk_org_id", ["clerkOrgId"])
    .index("by_author_id", ["authorId"]),

  // Deleted ids, organizations and memberships, and `pnpm sync:clerk`'s runs: the engine's, never yours to write.
  ...clerkTables,
});
