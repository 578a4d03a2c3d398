/**
 * Clerk's webhook payloads (untrusted JSON, though verified) and Backend API answers, parsed into the fields
 * the tables keep. Never throws on bad input: it names the bad field, never its value. No Convex functions
 * live here, so the webhook and users.current stay small.
 */

import { type ClerkEventType, isHandledEventType } from "@repo/shared/config";
import { type Infer, type ObjectType, v } from "convex/values";
import { parse, ValidationError } from "convex-helpers/validators";
import type { Kind } from "./clerkApi";
import { capped, cappedUrl, userFieldsFromClerk } from "./fields";
import type { clerkMembershipFields, clerkOrganizationFields } from "./tables";

const nullableString = v.optional(v.union(v.string(), v.null()));

/** The part of Clerk's `UserJSON` the kit reads; parsing drops everything else. Clerk sends null for unset names. */
const clerkUserJson = v.object({
  id: v.string(),
  first_name: nullableString,
  last_name: nullableString,
  username: nullableString,
  image_url: nullableString,
  primary_email_address_id: nullableString,
  email_addresses: v.optional(
    v.array(
      v.object({
        id: v.string(),
        email_address: v.string(),
        verification: v.optional(v.union(v.object({ status: v.string() }), v.null())),
      }),
    ),
  ),
  updated_at: v.number(),
});
export type ClerkUserJson = Infer<typeof clerkUserJson>;

/** `user.deleted` and `organization.deleted` carry Clerk's `DeletedObjectJSON`: only the id matters. */
const clerkDeletedJson = v.object({ id: v.string() });

export type ClerkEvent = ReturnType<typeof parseEvent>;

type ParsedClerkEvent =
  | { kind: "event"; event: ClerkEvent }
  | { kind: "unhandled"; type: string }
  | { kind: "invalid"; error: string };

/** Clerk ids are about 32 characters; anything near this long is not one, and cannot be cut short. */
const MAX_ID_LENGTH = 64;

/**
 * Parses a verified webhook body. Never throws: a body that is not JSON, has no `type`, or is a handled
 * type with the wrong shape comes back as `invalid`, naming the bad field and never its value.
 */
export function parseClerkEvent(body: string): ParsedClerkEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "invalid", error: "body is not JSON" };
  }
  // Checked here, where it is a 422: Convex would refuse to store such a string, a 500 Svix retries for a day.
  if (hasLoneSurrogate(body))
    return { kind: "invalid", error: "body holds a string that is not valid Unicode" };
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || type === "") return { kind: "invalid", error: "body has no event type" };
  if (!isHandledEventType(type)) return { kind: "unhandled", type };

  const data = (json as { data?: unknown }).data;
  try {
    return { kind: "event", event: parseEvent(type, data) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.path ? `data.${error.path}` : "data";
    return { kind: "invalid", error: `${type} has an invalid field: ${field}` };
  }
}

/**
 * A JSON text's escapes, left to right: an escaped backslash, a surrogate pair, a lone surrogate (group 1), any
 * other escape. Read from the text, not by a JSON.parse reviver, which recurses with the nesting and overflows
 * the stack on metadata thousands of levels deep.
 */
const JSON_ESCAPE =
  /\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(u[dD][89a-fA-F][0-9a-fA-F]{2})|.)/gs;

/** Whether a JSON text makes a string (or key) with an unpaired surrogate, escaped or not. */
function hasLoneSurrogate(jsonText: string): boolean {
  if (!isWellFormed(jsonText)) return true;
  for (const found of jsonText.matchAll(JSON_ESCAPE)) if (found[1] !== undefined) return true;
  return false;
}

/** No unpaired surrogate (a JSON escape such as "\ud800" makes one): Convex stores only valid Unicode. */
export function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/**
 * An entry of Clerk's Backend API lists (the JSON webhooks carry), mapped as the webhook maps it, or undefined
 * if it does not parse.
 */
export function entryFromApi(kind: Kind, json: unknown) {
  try {
    if (kind === "users") return { user: userFieldsFromClerk(parseUserJson(json)) };
    if (kind === "organizations")
      return { organization: organizationFields(parse(clerkOrganizationJson, json)) };
    return parseMembership(json);
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

function parseUserJson(data: unknown): ClerkUserJson {
  const user = parse(clerkUserJson, data);
  checkId(user.id);
  checkTime(user.updated_at, "updated_at");
  return user;
}

function checkId(id: string, path = "id"): string {
  if (id === "" || id.length > MAX_ID_LENGTH) {
    throw new ValidationError(`1 to ${MAX_ID_LENGTH} characters`, `${id.length}`, path);
  }
  return id;
}

// Organizations: Clerk's `OrganizationJSON` and `OrganizationMembershipJSON`, parsed and mapped in one step.

export type ClerkOrganizationFields = ObjectType<typeof clerkOrganizationFields>;

/** `slug` is null on an instance with organization slugs turned off. */
const clerkOrganizationJson = v.object({
  id: v.string(),
  name: v.string(),
  slug: nullableString,
  image_url: nullableString,
  updated_at: v.number(),
});

/** `organizationMembership.deleted` carries the whole membership too, its `updated_at` not bumped. */
const clerkMembershipJson = v.object({
  role: v.string(),
  created_at: v.number(),
  updated_at: v.number(),
  organization: clerkOrganizationJson,
  public_user_data: v.object({ user_id: v.string() }),
});

/** A handled event's data, parsed into what its mutation takes; throws a ValidationError naming the bad field. */
function parseEvent(type: ClerkEventType, data: unknown) {
  switch (type) {
    case "user.deleted":
    case "organization.deleted":
      return { type, data: { id: checkId(parse(clerkDeletedJson, data).id) } };
    case "user.created":
    case "user.updated":
      return { type, data: parseUserJson(data) };
    case "organization.created":
    case "organization.updated":
      return { type, data: organizationFields(parse(clerkOrganizationJson, data)) };
    default:
      return { type, data: parseMembership(data) };
  }
}

/** A membership event's data: the membership, and the organization Clerk embeds in it. */
function parseMembership(data: unknown) {
  const json = parse(clerkMembershipJson, data);
  const membership: ObjectType<typeof clerkMembershipFields> = {
    clerkOrgId: checkId(json.organization.id, "organization.id"),
    clerkUserId: checkId(json.public_user_data.user_id, "public_user_data.user_id"),
    role: checkId(json.role, "role"),
    clerkCreatedAt: checkTime(json.created_at, "created_at"),
    clerkUpdatedAt: checkTime(json.updated_at, "updated_at"),
  };
  return { membership, organization: organizationFields(json.organization, "organization.") };
}

function organizationFields(json: Infer<typeof clerkOrganizationJson>, path = ""): ClerkOrganizationFields {
  return {
    clerkOrgId: checkId(json.id, `${path}id`),
    name: capped(json.name),
    slug: capped(json.slug ?? ""),
    imageUrl: cappedUrl(json.image_url),
    clerkUpdatedAt: checkTime(json.updated_at, `${path}updated_at`),
  };
}

/** A time further ahead than this is not a clock's drift: stored as a version, it would freeze the row. */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** A Clerk timestamp (ms): a positive integer, and not more than a day ahead of now. */
function checkTime(time: number, path: string): number {
  if (!Number.isSafeInteger(time) || time <= 0) {
    throw new ValidationError("a positive integer", "another number", path);
  }
  if (time > Date.now() + MAX_FUTURE_MS) {
    throw new ValidationError("at most a day ahead", "further ahead", path);
  }
  return time;
}
