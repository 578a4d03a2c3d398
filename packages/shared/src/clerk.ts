/**
 * The Clerk webhook events this kit handles, and a parser that turns an untrusted body into one of them.
 * Only the fields the kit uses are declared; everything else in Clerk's payload is dropped on parse.
 */
import { z } from "zod";
import { isHandledEventType } from "./config.ts";

const emailAddressSchema = z.object({
  id: z.string(),
  email_address: z.string(),
});

/** The part of Clerk's `UserJSON` that the kit reads. Clerk sends `null` for unset names and pictures. */
export const clerkUserSchema = z.object({
  id: z.string().min(1),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  image_url: z.string().nullish(),
  primary_email_address_id: z.string().nullish(),
  email_addresses: z.array(emailAddressSchema).default([]),
  updated_at: z.number().int().nonnegative(),
});

export type ClerkUser = z.infer<typeof clerkUserSchema>;

const userUpsertEventSchema = z.object({
  type: z.enum(["user.created", "user.updated"]),
  data: clerkUserSchema,
});

const userDeletedEventSchema = z.object({
  type: z.literal("user.deleted"),
  // Clerk's `DeletedObjectJSON`: the id is optional in its types, but an event without one names no user.
  data: z.object({ id: z.string().min(1) }),
});

export const clerkUserEventSchema = z.discriminatedUnion("type", [
  userUpsertEventSchema,
  userDeletedEventSchema,
]);

export type ClerkUserEvent = z.infer<typeof clerkUserEventSchema>;

export type ParsedClerkEvent =
  | { kind: "event"; event: ClerkUserEvent }
  | { kind: "unhandled"; type: string }
  | { kind: "invalid"; error: string };

const envelopeSchema = z.object({ type: z.string().min(1) });

/**
 * Parses a verified webhook body. Never throws: a body that is not JSON, has no `type`, or is a handled
 * type with the wrong shape comes back as `invalid` with a message that names the bad fields (and none of
 * their values, which may be personal data).
 */
export function parseClerkEvent(body: string): ParsedClerkEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "invalid", error: "body is not JSON" };
  }

  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: "invalid", error: "body has no event type" };
  if (!isHandledEventType(envelope.data.type)) return { kind: "unhandled", type: envelope.data.type };

  const event = clerkUserEventSchema.safeParse(json);
  if (!event.success) {
    const fields = event.error.issues.map((issue) => issue.path.join(".") || "(root)");
    return {
      kind: "invalid",
      error: `${envelope.data.type} has invalid fields: ${[...new Set(fields)].join(", ")}`,
    };
  }
  return { kind: "event", event: event.data };
}
