import type { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      // Clerk's Frontend API URL, e.g. https://verb-noun-00.clerk.accounts.dev. Convex evaluates this file on
      // every push and refuses the push, naming the variable, while it is unset, so it is always set on a
      // running deployment. `pnpm setup:convex` sets it from your publishable key.
      domain: process.env.CLERK_JWT_ISSUER_DOMAIN as string,
      // The audience Clerk's Convex integration puts in its tokens.
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
