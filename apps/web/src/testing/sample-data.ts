/**
 * Documents shaped as the backend returns them, for component tests and the docs gallery. Ids are opaque
 * strings to the client, so any string stands in for one outside a deployment.
 */
import type { Id } from "@repo/backend/dataModel";
import { TOKEN_VERSION } from "@repo/shared/config";
import type { WebEnv } from "../env.ts";
import type { CurrentUser } from "../user-card.tsx";

export const sampleEnv: WebEnv = {
  convexUrl: "https://happy-otter-123.convex.cloud",
  // "clever-fox-12.clerk.accounts.dev$" encoded the way Clerk encodes a development key.
  clerkPublishableKey: "pk_test_Y2xldmVyLWZveC0xMi5jbGVyay5hY2NvdW50cy5kZXYk",
  clerkFrontendApiHost: "clever-fox-12.clerk.accounts.dev",
};

/**
 * `users.current`'s answer, Clerk's fields only: typed from the backend's return type, so a field your app
 * adds to `users` (optional or required) leaves these samples valid.
 */
type SampleUser = Pick<
  CurrentUser,
  "_id" | "_creationTime" | "clerkId" | "name" | "email" | "imageUrl" | "clerkUpdatedAt" | "source"
>;

/** A user as a webhook stored them; `fromToken` gives the row ensureFromToken makes before any webhook. */
export function sampleUser(overrides: Partial<SampleUser> & { fromToken?: boolean } = {}): SampleUser {
  const { fromToken = false, ...fields } = overrides;
  return {
    _id: "k17a2b3c4d5e6f7g8h9j0k1m2n3p4q5r" as Id<"users">,
    _creationTime: 1_764_000_000_500,
    clerkId: "user_2aVxQmFakeAda",
    name: "Ada Lovelace",
    email: "ada@example.com",
    imageUrl: "https://img.clerk.com/sample-ada",
    clerkUpdatedAt: fromToken ? TOKEN_VERSION : 1_764_000_000_000,
    source: fromToken ? "token" : "clerk",
    ...fields,
  };
}
