/** Builds a Clerk-shaped event body and signs it exactly as Svix does for a delivery. */

import {
  fakeClerkId,
  fakeClerkMembership,
  fakeClerkOrganization,
  fakeClerkUser,
  fakeMembershipEvent,
  fakeOrganizationDeletedEvent,
  fakeOrganizationEvent,
  fakeUserDeletedEvent,
  fakeUserEvent,
} from "@repo/backend/fixtures";
import type { ClerkEventType } from "@repo/shared/config";
import { Webhook } from "svix";

/** The test user `webhook:send` talks about unless told otherwise, so created → updated → deleted line up. */
export const defaultUserId = fakeClerkId("user", "webhook-send");

type UserDetails = {
  userId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** For the organization events: the organization, and the user's role in it. */
  orgId?: string;
  role?: string;
};

/** The JSON body of one event. `updatedAt` is the user's (or organization's, membership's) `updated_at` and the event's timestamp. */
export function buildEventBody(type: ClerkEventType, user: UserDetails, updatedAt: number): string {
  const createdAt = Math.min(fakeClerkUser().created_at, updatedAt);
  const orgId = user.orgId ?? fakeClerkId("org", "webhook-send");
  const organization = fakeClerkOrganization({ id: orgId, updatedAt, createdAt });
  switch (type) {
    case "user.deleted":
      return JSON.stringify(fakeUserDeletedEvent(user.userId, updatedAt));
    case "organization.deleted":
      return JSON.stringify(fakeOrganizationDeletedEvent(orgId, updatedAt));
    case "organization.created":
    case "organization.updated":
      return JSON.stringify(fakeOrganizationEvent(type, organization));
    case "organizationMembership.created":
    case "organizationMembership.updated":
    case "organizationMembership.deleted": {
      const { userId, role } = user;
      const membership = fakeClerkMembership({ organization, userId, role, createdAt, updatedAt });
      return JSON.stringify(fakeMembershipEvent(type, membership));
    }
  }
  const clerkUser = fakeClerkUser({
    id: user.userId,
    ...(user.email === undefined ? {} : { emails: [user.email] }),
    ...(user.firstName === undefined ? {} : { firstName: user.firstName }),
    ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
    updatedAt,
    createdAt,
  });
  return JSON.stringify(fakeUserEvent(type, clerkUser));
}

/** A new message id in Svix's shape (`msg_` + 27 base62 characters). */
export function newSvixId(seed: string): string {
  return fakeClerkId("msg", seed);
}

type SignedHeaders = {
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
