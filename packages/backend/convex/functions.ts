/**
 * Who is calling: the one place that turns Convex's verified identity into the caller's `users` row. App
 * functions build on `userQuery` / `userMutation` (convex-helpers custom functions) and read `ctx.user`.
 */
import type { OptionalRestArgs, SchedulableFunctionReference, UserIdentity } from "convex/server";
import { ConvexError, type Infer, v } from "convex/values";
import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import type { Doc, TableNames } from "./_generated/dataModel";
import { type MutationCtx, mutation, type QueryCtx, query } from "./_generated/server";
import { present } from "./clerk";
import { clerkOrganizationFields } from "./schema";

export async function userByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"users"> | null> {
  return await ctx.db
    .query("users")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
}

/** Clerk ids are about 32 characters; a longer subject is not one of them. */
const MAX_SUBJECT_LENGTH = 64;

/**
 * The caller's verified identity, or null (signed out) unless it comes from the configured Clerk issuer
 * (CLERK_JWT_ISSUER_DOMAIN) and its subject could be a Clerk id. Convex accepts a token from any provider in
 * auth.config.ts; without the issuer check, another provider's token with the same subject would read and
 * act as that Clerk user.
 */
export async function getClerkIdentity(ctx: QueryCtx): Promise<UserIdentity | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  const issuer = withoutTrailingSlash(process.env.CLERK_JWT_ISSUER_DOMAIN ?? "");
  if (issuer === "" || withoutTrailingSlash(identity.issuer) !== issuer) return null;
  const { subject } = identity;
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) return null;
  return identity;
}

function withoutTrailingSlash(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

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

/** Per transaction: far below Convex's per-mutation limits, however many rows a cascade meets. */
export const CASCADE_BATCH = 256;

/** Deletes a batch of `rows`; while more may be left, schedules `next` (which calls this again). */
export async function deleteInBatches<T extends TableNames, Next extends SchedulableFunctionReference>(
  ctx: MutationCtx,
  table: T,
  rows: { take(n: number): Promise<Doc<T>[]> },
  next: Next,
  ...args: OptionalRestArgs<Next>
): Promise<void> {
  const batch = await rows.take(CASCADE_BATCH);
  for (const row of batch) await ctx.db.delete(table, row._id);
  if (batch.length === CASCADE_BATCH) await ctx.scheduler.runAfter(0, next, ...args);
}

// Organizations: the caller's active organization, from the token and the synced tables together.

export const ADMIN_ROLE = "org:admin";

/** What app functions get as `ctx.org`: the organization and the caller's role key in it. */
const { clerkUpdatedAt: _, ...organization } = clerkOrganizationFields;
export const activeOrganization = v.object({ ...organization, role: v.string() });
export type ActiveOrganization = Infer<typeof activeOrganization>;

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

const claim = (value: unknown) => (present(value) ? value : undefined);

/** Clerk's v2 session token: `o: { id, rol }`, the role without `org:`; v1 and custom templates: `org_id`, `org_role`. */
function activeOrgClaim({ o, org_id, org_role }: UserIdentity) {
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    return { id: claim(org_id), role: claim(org_role) };
  }
  const role = claim(o.rol);
  return { id: claim(o.id), role: role && `org:${role}` };
}

/**
 * The organization the token names counts only with a synced membership of the caller in a synced
 * organization. Admin needs both the token and the row to say so, so a removal or demotion takes effect as
 * soon as either knows. A token naming an organization the caller is not a live member of gets no access
 * and no fallback (`notAMember`; a mutation throws NOT_A_MEMBER), so nothing meant for it lands elsewhere.
 */
async function orgContext(ctx: QueryCtx, user: Doc<"users"> | null, { role }: RequiredRole, write: boolean) {
  const identity = await getClerkIdentity(ctx);
  const token = identity === null ? undefined : activeOrgClaim(identity);
  const membership = user && token?.id ? await membershipOf(ctx, token.id, user.clerkId) : null;
  const found = membership && (await organizationByClerkId(ctx, membership.clerkOrgId));
  const demoted = membership?.role === ADMIN_ROLE && token?.role !== ADMIN_ROLE;
  const org: ActiveOrganization | null =
    found && membership ? { ...pick(found), role: demoted ? "org:member" : membership.role } : null;
  const notAMember = token?.id !== undefined && org === null;
  if (write && notAMember) {
    throw new ConvexError({ code: "NOT_A_MEMBER", message: "You are not a member of this organization." });
  }
  if (role !== undefined && org?.role !== role) {
    throw new ConvexError({
      code: "FORBIDDEN",
      message: `This needs the ${role} role in the active organization.`,
    });
  }
  return { org, notAMember };
}

function pick({ clerkOrgId, name, slug, imageUrl }: Doc<"organizations">) {
  return { clerkOrgId, name, slug, imageUrl };
}

/** `role`: a role key (`org:admin`) the function requires of the caller in the active organization. */
type RequiredRole = { role?: string };

/** A public query with `ctx.user`, `ctx.org` (or null) and `ctx.notAMember` (then return nothing). */
export const orgQuery = customQuery(
  query,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUser(ctx);
    return { user, ...(await orgContext(ctx, user, required, false)) };
  }),
);

/** A public mutation with the caller's row and `ctx.org`; throws NOT_A_MEMBER rather than run without it. */
export const orgMutation = customMutation(
  mutation,
  customCtx(async (ctx, required: RequiredRole) => {
    const user = await getCurrentUserOrThrow(ctx);
    return { user, ...(await orgContext(ctx, user, required, true)) };
  }),
);
