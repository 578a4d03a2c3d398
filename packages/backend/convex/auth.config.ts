import type { AuthConfig } from "convex/server";

// #region providers
// Clerk's Frontend API URL (Clerk dashboard → API keys, or the Convex integration page), set with
// `pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-app>.clerk.accounts.dev`.
const domain = process.env.CLERK_JWT_ISSUER_DOMAIN;

export default {
  // Without the variable no one can sign in, but the first `convex dev` (run before Clerk is set up) still
  // deploys; `api.setup.status` tells the web app, which says what to set.
  providers: domain ? [{ domain, applicationID: "convex" }] : [],
} satisfies AuthConfig;
// #endregion providers
