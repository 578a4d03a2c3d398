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
