/**
 * Clerk organizations and memberships, on users' rules (users.ts). The twist: deletions carry no newer
 * `updated_at`, so they skip the version check, and a membership's generation (`created_at`) orders them.
 */
import { type ObjectType, v } from "convex/values";
import { internalMutation, type MutationCtx, type QueryCtx } from "../_generated/server";
import { onOrganizationDeleted as onAppOrganizationDeleted } from "../orgs";
import { deleteMembershipsBatch, owner } from "./batches";
import { membershipOf, organizationByClerkId } from "./identity";
import type { ClerkOrganizationFields } from "./parse";
import { clerkMembershipFields, clerkOrganizationFields } from "./tables";
import { isTombstoned } from "./users";

async function isOrganizationDeleted(ctx: QueryCtx, clerkOrgId: string): Promise<boolean> {
  const tombstone = await ctx.db
    .query("deletedOrganizations")
    .withIndex("by_clerk_org_id", (q) => q.eq("clerkOrgId", clerkOrgId))
    .unique();
  return tombstone !== null;
}

export async function applyOrganization(
  ctx: MutationCtx,
  organization: ClerkOrganizationFields,
  { dryRun = false } = {},
) {
  if (await isOrganizationDeleted(ctx, organization.clerkOrgId)) return "deleted_organization";
  const existing = await organizationByClerkId(ctx, organization.clerkOrgId);
  if (existing === null) {
    if (!dryRun) await ctx.db.insert("organizations", organization);
    return "created";
  }
  if (organization.clerkUpdatedAt <= existing.clerkUpdatedAt) return "stale";
  // `imageUrl` named, so an image Clerk removed is cleared; fields your app adds are left alone.
  const fields = { ...organization, imageUrl: organization.imageUrl };
  if (!dryRun) await ctx.db.patch("organizations", existing._id, fields);
  return "updated";
}

export const upsertOrganizationFromClerk = internalMutation({
  args: { organization: v.object(clerkOrganizationFields) },
  returns: v.string(),
  handler: async (ctx, { organization }) => await applyOrganization(ctx, organization),
});

/** It stops counting in the caller's transaction; what belonged to it goes in batches. */
export async function applyOrganizationDeletion(
  ctx: MutationCtx,
  clerkOrgId: string,
  { dryRun = false } = {},
) {
  const existing = await organizationByClerkId(ctx, clerkOrgId);
  if (dryRun) return existing === null ? "already_deleted" : "deleted";
  if (existing !== null) await ctx.db.delete("organizations", existing._id);
  if (!(await isOrganizationDeleted(ctx, clerkOrgId))) {
    await ctx.db.insert("deletedOrganizations", { clerkOrgId, deletedAt: Date.now() });
  }
  await onOrganizationDeleted(ctx, clerkOrgId);
  return existing === null ? "already_deleted" : "deleted";
}

export const deleteOrganizationFromClerk = internalMutation({
  args: { clerkOrgId: v.string() },
  returns: v.string(),
  handler: async (ctx, { clerkOrgId }) => await applyOrganizationDeletion(ctx, clerkOrgId),
});

/** Clerk deletes the memberships too but promises no webhook for each; then the app's data (orgs.ts). */
async function onOrganizationDeleted(ctx: MutationCtx, clerkOrgId: string): Promise<void> {
  await deleteMembershipsBatch(ctx, { clerkOrgId });
  await onAppOrganizationDeleted(ctx, clerkOrgId);
}

/** A membership event's data; `pnpm sync:clerk` deletes with the stored row alone. */
const membershipChange = {
  deleted: v.boolean(),
  membership: v.object(clerkMembershipFields),
  organization: v.optional(v.object(clerkOrganizationFields)),
};

export const applyMembershipFromClerk = internalMutation({
  args: membershipChange,
  returns: v.string(),
  handler: async (ctx, change) => await applyMembership(ctx, change),
});

/**
 * Created/updated apply when newer: a newer generation, or the same one with a newer `updated_at`. A deletion
 * removes only the same or an older generation; its tombstone blocks that generation's late events.
 */
export async function applyMembership(
  ctx: MutationCtx,
  { deleted, membership, organization }: ObjectType<typeof membershipChange>,
  { dryRun = false } = {},
) {
  if (organization !== undefined) await applyOrganization(ctx, organization, { dryRun });
  const { clerkOrgId, clerkUserId, clerkCreatedAt, clerkUpdatedAt } = membership;
  if (await isOrganizationDeleted(ctx, clerkOrgId)) return "deleted_organization";
  // A deleted user's membership never comes back, but a deletion still removes what is there.
  if (!deleted && (await isTombstoned(ctx, clerkUserId))) return "deleted_user";
  const tombstone = await ctx.db
    .query("deletedMemberships")
    .withIndex("by_clerk_org_id_and_clerk_user_id", (q) =>
      q.eq("clerkOrgId", clerkOrgId).eq("clerkUserId", clerkUserId),
    )
    .unique();
  if (tombstone !== null && clerkCreatedAt <= tombstone.clerkCreatedAt) return "deleted_membership";
  const existing = await membershipOf(ctx, clerkOrgId, clerkUserId);
  if (deleted) {
    const removes = existing !== null && existing.clerkCreatedAt <= clerkCreatedAt;
    if (!dryRun) {
      if (tombstone !== null) await ctx.db.delete("deletedMemberships", tombstone._id);
      await ctx.db.insert("deletedMemberships", { clerkOrgId, clerkUserId, clerkCreatedAt });
      if (removes) await ctx.db.delete("memberships", existing._id);
    }
    return removes ? "deleted" : "stale";
  }
  if (existing === null) {
    if (!dryRun) await ctx.db.insert("memberships", membership);
    return "created";
  }
  const generation = clerkCreatedAt - existing.clerkCreatedAt;
  if (generation < 0 || (generation === 0 && clerkUpdatedAt <= existing.clerkUpdatedAt)) return "stale";
  if (!dryRun) await ctx.db.patch("memberships", existing._id, membership);
  return "updated";
}

/** Scheduled by reference (batches.ts), so the module behind users.current does not carry this one. */
export const deleteMembershipsOf = internalMutation({
  args: { of: owner },
  returns: v.null(),
  handler: async (ctx, { of }) => {
    await deleteMembershipsBatch(ctx, of);
    return null;
  },
});
