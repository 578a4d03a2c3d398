/**
 * Who is calling, for your app's functions: build public functions on these wrappers (convex-helpers custom
 * functions) and read `ctx.user` (and `ctx.org`) instead of looking the caller up yourself.
 */
import { ConvexError, type Infer, v } from "convex/values";
import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import type { Doc } from "./_generated/dataModel";
import { mutation, type QueryCtx, query } from "./_generated/server";
import {
  activeOrgClaim,
  getClerkIdentity,
  membershipOf,
  organizationByClerkId,
  userByClerkId,
} from "./clerk/identity";
import { clerkOrganizationFields } from "./clerk/tables";

/** The caller's row, or null when signed out or before it exists. */
export async function getCurrentUser(ctx: QueryCtx): Promise<Doc<"users"> | null> {
  const identity = await getClerkIdentity(ctx);
  return identity === null ? null : await userByClerkId(ctx, identity.subject);
}

/** The caller's row; a client sees why there is none in the error's `code`. */
export async function getCurrentUserOrThrow(ctx: QueryCtx): Promise<Doc<"users">> {
  const identity = await getClerkIdentity(ctx);
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

// Organizations: the caller's active organization, from the token and the synced tables together.

export const ADMIN_ROLE = "org:admin";

/** What app functions get as `ctx.org`: the organization and the caller's role key in it. */
const { clerkUpdatedAt: _, ...organization } = clerkOrganizationFields;
export const activeOrganization = v.object({ ...organization, role: v.string() });
export type ActiveOrganization = Infer<typeof activeOrganization>;

/**
 * The organization the token names counts only with a synced membership of the caller in a synced
 * organization. Admin needs both the token and the row to say so, so a removal or demotion takes effect as
 * soon as either knows. A token naming an organization the caller is not a live member of fails closed:
 * NOT_A_MEMBER before any handler runs, so no function can fall back to the shared room by forgetting a check.
 */
async function orgContext(
  ctx: QueryCtx,
  user: Doc<"users"> | null,
  { role }: RequiredRole,
): Promise<ActiveOrganization | null> {
  const identity = await getClerkIdentity(ctx);
  const token = identity === null ? undefined : activeOrgClaim(identity);
  if (token?.id === undefined) {
    if (role !== undefined) throw forbidden(role);
    return null;
  }
  // The caller counts once their own row exists (it is created at sign-in), like every other user.
  const membership = user && (await membershipOf(ctx, token.id, user.clerkId));
  const found = membership && (await organizationByClerkId(ctx, membership.clerkOrgId));
  if (!found || !membership) {
    throw new ConvexError({ code: "NOT_A_MEMBER", message: "You are not a member of this organization." });
  }
  const agreed = membership.role === token.role ? membership.role : "org:member";
  const held = membership.role === ADMIN_ROLE ? agreed : membership.role;
  const { clerkOrgId, name, slug, imageUrl } = found;
  const org = { clerkOrgId, name, slug, imageUrl, role: held };
  if (role !== undefined && (org.role !== role || token.role !== role)) throw forbidden(role);
  return org;
}

function forbidden(role: string) {
  return new ConvexError({
    code: "FORBIDDEN",
    message: `This needs the ${role} role in the active organization.`,
  });
}

/** `role`: a role key (`org:admin`) the function requires of the caller in the active organization. */
type RequiredRole = { role?: string };

/** A public query with `ctx.user` (or null) and `ctx.org` (null only when the token names no organization). */
export const orgQuery = customQuery(
  query,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUser(ctx);
    return { user, org: await orgContext(ctx, user, required) };
  }),
);

/** A public mutation with the caller's row and `ctx.org`, on the same rules as `orgQuery`. */
export const orgMutation = customMutation(
  mutation,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUserOrThrow(ctx);
    return { user, org: await orgContext(ctx, user, required) };
  }),
);
