/** Builds a Clerk-shaped event body and signs it exactly as Svix does for a delivery. */

import type { ClerkEventType } from "@repo/shared/config";
import { Webhook } from "svix";
import {
  fakeClerkId,
  fakeClerkUser,
  fakeUserDeletedEvent,
  fakeUserEvent,
} from "../../convex/clerk.fixtures.ts";

/** The test user `webhook:send` talks about unless told otherwise, so created → updated → deleted line up. */
export const defaultUserId = fakeClerkId("user", "webhook-send");

export type UserDetails = {
  userId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
};

/** The JSON body of one event. `updatedAt` is the user's `updated_at` (and the event's timestamp). */
export function buildEventBody(type: ClerkEventType, user: UserDetails, updatedAt: number): string {
  if (type === "user.deleted") return JSON.stringify(fakeUserDeletedEvent(user.userId, updatedAt));
  const fixtureCreatedAt = fakeClerkUser().created_at;
  const clerkUser = fakeClerkUser({
    id: user.userId,
    ...(user.email === undefined ? {} : { emails: [user.email] }),
    ...(user.firstName === undefined ? {} : { firstName: user.firstName }),
    ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
    updatedAt,
    createdAt: Math.min(fixtureCreatedAt, updatedAt),
  });
  return JSON.stringify(fakeUserEvent(type, clerkUser));
}

/** A new message id in Svix's shape (`msg_` + 27 base62 characters). */
export function newSvixId(seed: string): string {
  return fakeClerkId("msg", seed);
}

export type SignedHeaders = {
  "content-type": "application/json";
  "svix-id": string;
  "svix-timestamp": string;
  "svix-signature": string;
};

/**
 * The headers Svix sends with a delivery. Svix signs `${id}.${timestamp}.${body}` with the endpoint's
 * secret; `Webhook.sign` is the library's own implementation of that, the same code `verify` checks against.
 */
export function signDelivery(secret: string, svixId: string, body: string, sentAt: Date): SignedHeaders {
  return {
    "content-type": "application/json",
    "svix-id": svixId,
    "svix-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "svix-signature": new Webhook(secret).sign(svixId, sentAt, body),
  };
}
