/** A users document as api.users.current returns it, built from a realistic Clerk payload by the real mapper. */
import type { Id } from "@repo/backend/dataModel";
import { type FakeUserOptions, fakeClerkUser } from "@repo/shared/clerk-fixtures";
import { userFieldsFromClerk } from "@repo/shared/user";
import type { SyncedUser } from "../user-card.tsx";

export function syncedUser(options: FakeUserOptions = {}): SyncedUser {
  return {
    // Convex ids are opaque strings; any string stands in for one outside a deployment.
    _id: "k17a2b3c4d5e6f7g8h9j0k1m2n3p4q5r" as Id<"users">,
    _creationTime: 1_764_000_000_500,
    ...userFieldsFromClerk(fakeClerkUser(options)),
  };
}
