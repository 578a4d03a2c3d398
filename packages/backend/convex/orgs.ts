/**
 * Clerk organizations and memberships, on the rules users follow (users.ts): a change applies only when
 * strictly newer, and what Clerk deleted never comes back. The twist: deletions carry no newer
 * `updated_at`, so they skip the version check, and a membership's generation (`created_at`) orders them.
 */
import { v } from "convex/values";
import { internalMutation, type MutationCtx, type QueryCtx } from "./_generated/server";
import type { ClerkOrganizationFields } from "./clerk";
import { membershipOf, organizationByClerkId, orgQuery } from "./functions";
import { deleteMembershipsOf } from "./memberships";
import { clerkMembershipFields, clerkOrganizationFields } from "./schema";

/** The caller's active organization and role, or null (signed out, none active, or not a live member). */
export const current = orgQuery({
  args: {},
  returns: v.union(
    v.null(),
    v.object({
      clerkOrgId: v.string(),
      name: v.string(),
      slug: v.string(),
      imageUrl: v.optional(v.string()),
      role: v.string(),
    }),
  ),
  handler: async (ctx) => ctx.org,
});

async function isOrganizationDeleted(ctx: QueryCtx, clerkOrgId: string): Promise<boolean> {
  const tombstone = await ctx.db
    .query("deletedOrganizations")
    .withIndex("by_clerk_org_id", (q) => q.eq("clerkOrgId", clerkOrgId))
    .unique();
  return tombstone !== null;
}

async function applyOrganization(ctx: MutationCtx, organization: ClerkOrganizationFields) {
  if (await isOrganizationDeleted(ctx, organization.clerkOrgId)) return "deleted_organization";
  const existing = await organizationByClerkId(ctx, organization.clerkOrgId);
  if (existing === null) {
    await ctx.db.insert("organizations", organization);
    return "created";
  }
  if (organization.clerkUpdatedAt <= existing.clerkUpdatedAt) return "stale";
  const { name, slug, imageUrl, clerkUpdatedAt } = organization;
  await ctx.db.patch("organizations", existing._id, { name, slug, imageUrl, clerkUpdatedAt });
  return "updated";
}

const organizationOutcome = v.union(
  v.literal("created"),
  v.literal("updated"),
  v.literal("stale"),
  v.literal("deleted_organization"),
);

export const upsertOrganizationFromClerk = internalMutation({
  args: { organization: v.object(clerkOrganizationFields) },
  returns: organizationOutcome,
  handler: async (ctx, { organization }) => await applyOrganization(ctx, organization),
});

/** The organization stops counting here, in the webhook's transaction; what belonged to it goes in batches. */
export const deleteOrganizationFromClerk = internalMutation({
  args: { clerkOrgId: v.string() },
  returns: v.union(v.literal("deleted"), v.literal("already_deleted")),
  handler: async (ctx, { clerkOrgId }) => {
    const existing = await organizationByClerkId(ctx, clerkOrgId);
    if (existing !== null) await ctx.db.delete("organizations", existing._id);
    if (!(await isOrganizationDeleted(ctx, clerkOrgId))) {
      await ctx.db.insert("deletedOrganizations", { clerkOrgId, deletedAt: Date.now() });
    }
    await onOrganizationDeleted(ctx, clerkOrgId);
    return existing === null ? "already_deleted" : "deleted";
  },
});

/**
 * Everything in the app that belongs to a deleted organization: one line per table. Clerk deletes the
 * memberships too but does not promise a webhook for each, so they go here whatever Clerk sends.
 */
async function onOrganizationDeleted(ctx: MutationCtx, clerkOrgId: string): Promise<void> {
  await deleteMembershipsOf(ctx, { clerkOrgId });
}

const membershipArgs = {
  membership: v.object(clerkMembershipFields),
  organization: v.object(clerkOrganizationFields),
};
const membershipOutcome = v.union(
  v.literal("created"),
  v.literal("updated"),
  v.literal("stale"),
  v.literal("deleted"),
  v.literal("deleted_membership"),
  v.literal("deleted_organization"),
  v.literal("deleted_user"),
);

/** Why a membership event must not write, or undefined: its org or user is deleted, or its generation is. */
async function blocked(ctx: QueryCtx, { clerkOrgId, clerkUserId, clerkCreatedAt }: MembershipKey) {
  if (await isOrganizationDeleted(ctx, clerkOrgId)) return "deleted_organization";
  const deletedUser = await ctx.db
    .query("deletedUsers")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkUserId))
    .unique();
  if (deletedUser !== null) return "deleted_user";
  const tombstone = await membershipTombstone(ctx, clerkOrgId, clerkUserId);
  if (tombstone !== null && clerkCreatedAt <= tombstone.clerkCreatedAt) return "deleted_membership";
  return undefined;
}

type MembershipKey = { clerkOrgId: string; clerkUserId: string; clerkCreatedAt: number };

function membershipTombstone(ctx: QueryCtx, clerkOrgId: string, clerkUserId: string) {
  return ctx.db
    .query("deletedMemberships")
    .withIndex("by_clerk_org_id_and_clerk_user_id", (q) =>
      q.eq("clerkOrgId", clerkOrgId).eq("clerkUserId", clerkUserId),
    )
    .unique();
}

/** Newer means a newer generation, or the same generation with a newer `updated_at`. */
export const upsertMembershipFromClerk = internalMutation({
  args: membershipArgs,
  returns: membershipOutcome,
  handler: async (ctx, { membership, organization }) => {
    await applyOrganization(ctx, organization);
    const refused = await blocked(ctx, membership);
    if (refused !== undefined) return refused;
    const existing = await membershipOf(ctx, membership.clerkOrgId, membership.clerkUserId);
    if (existing === null) {
      await ctx.db.insert("memberships", membership);
      return "created";
    }
    const { clerkCreatedAt, clerkUpdatedAt, role } = membership;
    const newer =
      clerkCreatedAt > existing.clerkCreatedAt ||
      (clerkCreatedAt === existing.clerkCreatedAt && clerkUpdatedAt > existing.clerkUpdatedAt);
    if (!newer) return "stale";
    await ctx.db.patch("memberships", existing._id, { role, clerkCreatedAt, clerkUpdatedAt });
    return "updated";
  },
});

/**
 * Applies without the version check (Clerk does not bump `updated_at` on deletion) but removes only the
 * same or an older generation: a newer `created_at` is a re-join that stays.
 */
export const deleteMembershipFromClerk = internalMutation({
  args: membershipArgs,
  returns: membershipOutcome,
  handler: async (ctx, { membership, organization }) => {
    await applyOrganization(ctx, organization);
    const refused = await blocked(ctx, membership);
    if (refused !== undefined) return refused;
    const { clerkOrgId, clerkUserId, clerkCreatedAt } = membership;
    const existing = await membershipOf(ctx, clerkOrgId, clerkUserId);
    const removes = existing !== null && existing.clerkCreatedAt <= clerkCreatedAt;
    if (removes) await ctx.db.delete("memberships", existing._id);
    // Not blocked, so any tombstone is of an older generation: this one replaces it.
    const tombstone = await membershipTombstone(ctx, clerkOrgId, clerkUserId);
    if (tombstone !== null) await ctx.db.delete("deletedMemberships", tombstone._id);
    await ctx.db.insert("deletedMemberships", { clerkOrgId, clerkUserId, clerkCreatedAt });
    return removes ? "deleted" : "stale";
  },
});
