/** What the web app's setup guide needs to know about this deployment. Never a secret's value. */
import { v } from "convex/values";
import { query } from "./_generated/server";
import { lastWebhookAt } from "./webhookEvents";

export const status = query({
  args: {},
  returns: v.object({
    webhookSecretConfigured: v.boolean(),
    issuerDomainConfigured: v.boolean(),
    lastVerifiedWebhookAt: v.union(v.number(), v.null()),
  }),
  handler: async (ctx) => ({
    webhookSecretConfigured: Boolean(process.env.CLERK_WEBHOOK_SECRET),
    issuerDomainConfigured: Boolean(process.env.CLERK_JWT_ISSUER_DOMAIN),
    // Only verified deliveries are logged, so the newest entry is the last verified webhook.
    lastVerifiedWebhookAt: await lastWebhookAt(ctx),
  }),
});
