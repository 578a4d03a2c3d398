/**
 * The fields of `users` that Clerk owns, declared once. Each has its validator and how it is read from both
 * sources: Clerk's user JSON (a webhook, or `pnpm sync:clerk`) and the caller's verified session token. The
 * schema, the sync mutations' arguments, both mappings and the patch that applies a newer version all derive
 * from `userFields`, so storing another Clerk field (`username`, say) is one entry here.
 */
import { TOKEN_VERSION, UNNAMED_USER } from "@repo/shared/config";
import type { UserIdentity } from "convex/server";
import { type Infer, type ObjectType, type Validator, v } from "convex/values";
import type { ClerkUserJson } from "./parse";

/** Longer names are cut to this many characters (with "…"): a name has no reason to be longer. */
export const MAX_NAME_LENGTH = 256;
/** RFC 5321's limit. A longer "address" cannot receive mail; cutting it could make it someone else's. */
export const MAX_EMAIL_LENGTH = 254;
/** Longer URLs are dropped rather than cut: a cut URL points somewhere else. */
export const MAX_IMAGE_URL_LENGTH = 2048;

// biome-ignore lint/suspicious/noExplicitAny: any validator, as convex/values' own generics take it.
type AnyValidator = Validator<any, "required" | "optional", any>;
type Field<V extends AnyValidator> = {
  validator: V;
  fromClerk: (user: ClerkUserJson) => V["type"];
  fromToken: (identity: UserIdentity) => V["type"];
};
const field = <V extends AnyValidator>(
  validator: V,
  fromClerk: Field<V>["fromClerk"],
  fromToken: Field<V>["fromToken"],
): Field<V> => ({ validator, fromClerk, fromToken });

export const userFields = {
  clerkId: field(
    v.string(),
    (user) => user.id,
    (identity) => identity.subject,
  ),
  // Never the email: other signed-in users see names, and an address is personal data.
  name: field(
    v.string(),
    (user) => displayName([fullName(user), user.username]),
    (identity) => displayName([identity.name, identity.nickname, identity.preferredUsername]),
  ),
  /** A verified address only: an unverified one is whatever the person typed. */
  email: field(v.optional(v.string()), verifiedEmail, (identity) =>
    identity.emailVerified === true && present(identity.email) && identity.email.length <= MAX_EMAIL_LENGTH
      ? identity.email.trim()
      : undefined,
  ),
  // Clerk always sets one (its default avatar when none was uploaded), but a long one is dropped.
  imageUrl: field(
    v.optional(v.string()),
    (user) => cappedUrl(user.image_url),
    (identity) => cappedUrl(identity.pictureUrl),
  ),
  /**
   * Clerk's `updated_at` (ms) of the stored version, or TOKEN_VERSION for a row made from the caller's token,
   * which any version from Clerk replaces. A change is applied only when it is strictly newer than this.
   */
  clerkUpdatedAt: field(
    v.number(),
    (user) => user.updated_at,
    () => TOKEN_VERSION,
  ),
};

type UserFields = typeof userFields;
/** The validators of the Clerk-owned fields: spread into the `users` table in schema.ts. */
export const clerkUserFields = Object.fromEntries(
  Object.entries(userFields).map(([name, { validator }]) => [name, validator]),
) as { [K in keyof UserFields]: UserFields[K]["validator"] };
export type ClerkUserFields = ObjectType<typeof clerkUserFields>;

/** Maps a webhook's (or Clerk's API's) user to the fields `users` keeps. */
export function userFieldsFromClerk(user: ClerkUserJson): ClerkUserFields {
  return mapFields((source) => source.fromClerk(user));
}

/**
 * Maps the caller's verified token to a provisional row. Which claims exist depends on Clerk's setup: the
 * `convex` JWT template carries `name`, `nickname`, `email`, `email_verified` and `picture`; a session token
 * from Clerk's Convex integration carries none of them unless you add them as custom session claims. Each
 * absent claim leaves its field empty (name "Unnamed user") until Clerk's webhook fills it in.
 */
export function userFieldsFromToken(identity: UserIdentity): ClerkUserFields {
  return mapFields((source) => source.fromToken(identity));
}

/** Every Clerk-owned field by name, undefined where absent: as a patch, it clears what Clerk no longer has. */
export function clerkUserPatch(user: ClerkUserFields): Partial<ClerkUserFields> {
  return Object.fromEntries(
    Object.keys(userFields).map((name) => [name, user[name as keyof ClerkUserFields]]),
  );
}

/** Where a row's version came from: "token" (the caller's own, until Clerk's first webhook) or "clerk". */
export const userSource = v.union(v.literal("token"), v.literal("clerk"));
export const sourceOf = (user: { clerkUpdatedAt: number }): Infer<typeof userSource> =>
  user.clerkUpdatedAt === TOKEN_VERSION ? "token" : "clerk";

/** Leaves out the fields that are undefined: Convex stores no field for a missing value. */
function mapFields(read: (source: Field<AnyValidator>) => unknown): ClerkUserFields {
  const entries = Object.entries(userFields as Record<string, Field<AnyValidator>>)
    .map(([name, source]) => [name, read(source)] as const)
    .filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as ClerkUserFields;
}

function fullName(user: ClerkUserJson): string {
  return [user.first_name, user.last_name]
    .filter(present)
    .map((part) => part.trim())
    .join(" ");
}

/** The primary address if it is verified, else the first verified one, else none. */
function verifiedEmail(user: ClerkUserJson): string | undefined {
  const addresses = user.email_addresses ?? [];
  const usable = (address: (typeof addresses)[number]) =>
    address.verification?.status === "verified" && address.email_address.length <= MAX_EMAIL_LENGTH;
  const primary = addresses.find((address) => address.id === user.primary_email_address_id);
  return (primary !== undefined && usable(primary) ? primary : addresses.find(usable))?.email_address;
}

/**
 * Set and meaningful. A session-token claim templated from an unset field arrives as "null" (or
 * "undefined"), which is no more a name or an address than an empty string.
 */
export function present(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const trimmed = value.trim();
  return trimmed !== "" && trimmed !== "null" && trimmed !== "undefined";
}

/** The first candidate that is set, trimmed and capped; never "null", "undefined" or empty. */
function displayName(candidates: (string | null | undefined)[]): string {
  const name = candidates.find(present);
  return name === undefined ? UNNAMED_USER : capped(name);
}

/** An `https:` URL only: the web app puts it in `<img src>`, and `javascript:` or `http:` has no place there. */
export function cappedUrl(url: string | null | undefined): string | undefined {
  if (!present(url) || url.length > MAX_IMAGE_URL_LENGTH) return undefined;
  const trimmed = url.trim();
  return URL.canParse(trimmed) && new URL(trimmed).protocol === "https:" ? trimmed : undefined;
}

/** Trimmed, and cut to MAX_NAME_LENGTH characters (with "…"). */
export function capped(text: string): string {
  const characters = [...text.trim()];
  if (characters.length <= MAX_NAME_LENGTH) return characters.join("");
  return `${characters.slice(0, MAX_NAME_LENGTH - 1).join("")}…`;
}
