/** The caller's active organization (Clerk Organizations), for the web app's header and rooms. */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";
import { activeOrganization, orgQuery } from "./functions";

/** null when signed out or no organization is active; NOT_A_MEMBER for one the caller is not a member of. */
export const current = orgQuery({
  args: {},
  returns: v.union(v.null(), activeOrganization),
  handler: async (ctx) => ctx.org,
});

/**
 * Everything in the app that belongs to a deleted organization: one line per table, as users.ts →
 * onUserDeleted. The sync calls this in the transaction that deletes the organization (its memberships go too).
 */
export async function onOrganizationDeleted(ctx: MutationCtx, clerkOrgId: string): Promise<void> {
  // One line per table that belongs to an organization, as for users.
  await ctx.scheduler.runAfter(0, internal.messages.deleteAllOf, { of: { clerkOrgId } });
}
