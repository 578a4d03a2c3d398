import type { AuthConfig } from "convex/server";

// #region providers
// Clerk's Frontend API URL (Clerk dashboard → the Convex integration), set with
// `npx convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-app>.clerk.accounts.dev`.
const domain = process.env.CLERK_JWT_ISSUER_DOMAIN;

export default {
  // Without the variable no one can sign in, but the first `convex dev` (run before Clerk is set up) still
  // deploys; `api.setup.status` reports the missing variable to the web app.
  providers: domain ? [{ domain, applicationID: "convex" }] : [],
} satisfies AuthConfig;
// #endregion providers
