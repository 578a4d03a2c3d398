/**
 * Who the caller is, from Convex's verified identity, and the rows the sync keeps for them. The wrappers in
 * functions.ts build on these; so does every public function that needs the caller.
 */
import type { UserIdentity } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { present } from "./fields";

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

const claim = (value: unknown) => (present(value) ? value : undefined);
/** No Clerk organization id looks like this, so no membership matches it. */
const UNREADABLE = "(an unreadable o claim)";

/**
 * The active organization the token names, and the caller's role key in it. Clerk's v2 session token:
 * `o: { id, rol }`, the role without `org:`; v1 and custom templates: `org_id`, `org_role`.
 */
export function activeOrgClaim({ o, org_id, org_role }: UserIdentity) {
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    // An `o` that is there but not an object names no organization we can read: fail closed (an id that
    // matches no membership), never fall back to the shared room.
    const absent = o === undefined || o === null || (typeof o === "string" && !present(o));
    if (!absent) return { id: UNREADABLE, role: undefined };
    return { id: claim(org_id), role: claim(org_role) };
  }
  const role = claim(o.rol);
  return { id: claim(o.id), role: role && `org:${role}` };
}

export async function userByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"users"> | null> {
  return await ctx.db
    .query("users")
    .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
    .unique();
}

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
