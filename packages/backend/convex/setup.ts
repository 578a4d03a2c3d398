/** What the web app's diagnostics need to know about this deployment: yes/no answers only, never a value. */
import { TOKEN_VERSION } from "@repo/shared/config";
import { v } from "convex/values";
import { query } from "./_generated/server";

export const status = query({
  args: {},
  returns: v.object({
    webhookSecretConfigured: v.boolean(),
    issuerDomainConfigured: v.boolean(),
    /** Some user holds a version from Clerk (a verified webhook or `pnpm sync:clerk`), not just a token's. */
    webhookApplied: v.boolean(),
  }),
  handler: async (ctx) => ({
    webhookSecretConfigured: Boolean(process.env.CLERK_WEBHOOK_SECRET),
    issuerDomainConfigured: Boolean(process.env.CLERK_JWT_ISSUER_DOMAIN),
    webhookApplied:
      (await ctx.db
        .query("users")
        .withIndex("by_clerk_updated_at", (q) => q.gt("clerkUpdatedAt", TOKEN_VERSION))
        .first()) !== null,
  }),
});
