/**
 * Who is calling: the one place that turns Convex's verified identity into the caller's `users` row. App
 * functions build on `userQuery` / `userMutation` (convex-helpers custom functions) and read `ctx.user`.
 */
import type { UserIdentity } from "convex/server";
import { ConvexError } from "convex/values";
import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import type { Doc } from "./_generated/dataModel";
import { mutation, type QueryCtx, query } from "./_generated/server";

export async function userByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"users"> | null> {
  return await ctx.db
    .query("users")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
}

// #region current-user
/** The caller's row, or null when signed out or before it exists. */
export async function getCurrentUser(ctx: QueryCtx): Promise<Doc<"users"> | null> {
  const identity = await ctx.auth.getUserIdentity();
  return identity === null ? null : await userByClerkId(ctx, identity.subject);
}

/** The caller's row; a client sees why there is none in the error's `code`. */
export async function getCurrentUserOrThrow(ctx: QueryCtx): Promise<Doc<"users">> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  const user = await userByClerkId(ctx, identity.subject);
  if (user === null) {
    // The web app creates the row right after sign-in (users.ensureFromToken), so this is brief.
    throw new ConvexError({ code: "NO_USER_ROW", message: "Your account is still being set up." });
  }
  return user;
}

/** A public query whose handler reads `ctx.user`: the caller's row, or null when signed out or not created. */
export const userQuery = customQuery(
  query,
  customCtx(async (ctx) => ({ user: await getCurrentUser(ctx) })),
);

/** A public mutation that needs the caller's row; without one it throws before the handler runs. */
export const userMutation = customMutation(
  mutation,
  customCtx(async (ctx) => ({ user: await getCurrentUserOrThrow(ctx) })),
);
// #endregion current-user

// Organizations: the caller's active organization, from the token and the synced tables together.

export const ADMIN_ROLE = "org:admin";

/** The active organization as app functions see it: Clerk's fields and the caller's effective role key. */
export type ActiveOrganization = {
  clerkOrgId: string;
  name: string;
  slug: string;
  imageUrl?: string;
  role: string;
};

type OrgContext = {
  org: ActiveOrganization | null;
  /** The token names an organization the caller is not a live member of: refuse, never fall back. */
  notAMember: boolean;
};

export async function organizationByClerkId(ctx: QueryCtx, clerkOrgId: string) {
  return await ctx.db
    .query("organizations")
    .withIndex("by_clerk_org_id", (q) => q.eq("clerkOrgId", clerkOrgId))
    .unique();
}

export async function membershipOf(ctx: QueryCtx, clerkOrgId: string, clerkUserId: string) {
  return await ctx.db
    .query("memberships")
    .withIndex("by_clerk_org_id_and_clerk_user_id", (q) =>
      q.eq("clerkOrgId", clerkOrgId).eq("clerkUserId", clerkUserId),
    )
    .unique();
}

/** A claim that is a string, not empty and not "null"/"undefined"; anything else counts as absent. */
function claim(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "null" && value !== "undefined"
    ? value
    : undefined;
}

/** Clerk's v2 session token: `o: { id, rol }`, the role without `org:`; v1 and custom templates: `org_id`, `org_role`. */
function activeOrgClaim(identity: UserIdentity): { clerkOrgId: string; role?: string } | undefined {
  const o = identity.o;
  if (typeof o === "object" && o !== null && !Array.isArray(o)) {
    const clerkOrgId = claim(o.id);
    const role = claim(o.rol);
    return clerkOrgId === undefined ? undefined : { clerkOrgId, role: role && `org:${role}` };
  }
  const clerkOrgId = claim(identity.org_id);
  return clerkOrgId === undefined ? undefined : { clerkOrgId, role: claim(identity.org_role) };
}

/**
 * The organization the token names counts only with a synced membership of the caller's row in a synced,
 * undeleted organization. Admin needs both the token and the row to say so, so a removal or a demotion
 * takes effect as soon as either Clerk's webhook or the caller's next token carries it.
 */
async function getCurrentOrg(ctx: QueryCtx, user: Doc<"users"> | null): Promise<OrgContext> {
  const identity = await ctx.auth.getUserIdentity();
  const active = identity === null ? undefined : activeOrgClaim(identity);
  if (active === undefined) return { org: null, notAMember: false };
  const membership = user === null ? null : await membershipOf(ctx, active.clerkOrgId, user.clerkId);
  const organization = membership && (await organizationByClerkId(ctx, active.clerkOrgId));
  if (!membership || !organization) return { org: null, notAMember: true };
  const { clerkOrgId, name, slug, imageUrl } = organization;
  const role = membership.role === ADMIN_ROLE && active.role !== ADMIN_ROLE ? "org:member" : membership.role;
  return {
    org: { clerkOrgId, name, slug, ...(imageUrl === undefined ? {} : { imageUrl }), role },
    notAMember: false,
  };
}

/** `role`: a role key (`org:admin`) the handler requires; without it the call is FORBIDDEN. */
type RequiredRole = { role?: string };

function checkRole(org: ActiveOrganization | null, { role }: RequiredRole): void {
  if (role !== undefined && org?.role !== role) {
    throw new ConvexError({
      code: "FORBIDDEN",
      message: `This needs the ${role} role in the active organization.`,
    });
  }
}

/**
 * A public query with `ctx.user` and `ctx.org` (null without an active organization, and for a caller who is
 * not a live member of the one the token names: then `ctx.notAMember` is true, and the handler returns nothing).
 */
export const orgQuery = customQuery(
  query,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUser(ctx);
    const current = await getCurrentOrg(ctx, user);
    checkRole(current.org, required);
    return { user, ...current };
  }),
);

/** A public mutation with the caller's row and `ctx.org`; a token naming an organization the caller is not a live member of throws NOT_A_MEMBER. */
export const orgMutation = customMutation(
  mutation,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUserOrThrow(ctx);
    const current = await getCurrentOrg(ctx, user);
    if (current.notAMember) {
      throw new ConvexError({
        code: "NOT_A_MEMBER",
        message: "You are not a member of the active organization.",
      });
    }
    checkRole(current.org, required);
    return { user, ...current };
  }),
);
