/**
 * Test helpers shared by the backend's tests: a convex-test instance with the webhook secret set, requests
 * signed for real by svix, and document counts. The two dots in the name keep Convex from bundling it.
 */

import rateLimiter from "@convex-dev/rate-limiter/test";
import { WEBHOOK_PATH } from "@repo/shared/config";
import { defineSchema, defineTable } from "convex/server";
import type { PropertyValidators } from "convex/values";
import { convexTest } from "convex-test";
import { Webhook } from "svix";
import { vi } from "vitest";
import type { ClerkUserFields } from "./clerk/fields";
import { fakeClerkId } from "./clerk.fixtures";
import schema from "./schema";
import { newUserDefaults } from "./users";

export { WEBHOOK_PATH };

/** A well-formed signing secret like the `whsec_…` one Clerk shows; the bytes are arbitrary. */
export const TEST_SECRET = `whsec_${btoa("clerk-convex-starter-test-key-1")}`;
export const OTHER_SECRET = `whsec_${btoa("clerk-convex-starter-other-key")}`;

export const modules = import.meta.glob("./**/*.ts");

/**
 * The issuer convex-test gives `t.withIdentity(...)` identities, configured as the deployment's Clerk issuer
 * (with a trailing slash, as people paste it), so that those identities count as signed in.
 */
export const TEST_ISSUER = "https://convex.test";

/**
 * A fresh in-memory deployment with CLERK_WEBHOOK_SECRET and CLERK_JWT_ISSUER_DOMAIN set (vitest unstubs env
 * after each test).
 */
export function setupTest(
  options: { transactionLimits?: { documentsWritten: number }; modules?: typeof modules } = {},
) {
  vi.stubEnv("CLERK_WEBHOOK_SECRET", TEST_SECRET);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", `${TEST_ISSUER}/`);
  return withComponents(convexTest({ schema, modules, ...options }));
}

/** Registers the components convex.config.ts uses, as a deployment has them. */
export function withComponents<T extends { registerComponent: unknown }>(t: T): T {
  rateLimiter.register(t as unknown as Parameters<typeof rateLimiter.register>[0]);
  return t;
}

export type TestConvex = ReturnType<typeof setupTest>;

let messageCount = 0;
/** A new svix message id in Svix's format (`msg_` + 27 characters). */
export function newSvixId(): string {
  messageCount += 1;
  return fakeClerkId("msg", `message-${messageCount}`);
}

type SignOptions = { svixId?: string; secret?: string; sentAt?: Date };

/** The headers and body Svix would send for `payload`, signed with the test secret unless told otherwise. */
export function signedDelivery(payload: unknown, options: SignOptions = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const svixId = options.svixId ?? newSvixId();
  // Signed by svix itself, as Svix signs a delivery: `${id}.${timestamp}.${body}` with the endpoint's secret.
  // Not through scripts/: a copy of the kit may delete the webhook:send script.
  const sentAt = options.sentAt ?? new Date();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "svix-id": svixId,
    "svix-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "svix-signature": new Webhook(options.secret ?? TEST_SECRET).sign(svixId, sentAt, body),
  };
  return { svixId, headers, body };
}

export function post(t: TestConvex, delivery: { headers: Record<string, string>; body: BodyInit }) {
  return t.fetch(WEBHOOK_PATH, { method: "POST", headers: delivery.headers, body: delivery.body });
}

/** Signs `payload` and posts it, as one Svix delivery attempt. */
export function deliver(t: TestConvex, payload: unknown, options: SignOptions = {}) {
  return post(t, signedDelivery(payload, options));
}

type Counts = { users: number; deletedUsers: number };

/** How many documents each table holds: the tests' measure of "nothing else was written". */
export function countDocuments(t: TestConvex): Promise<Counts> {
  return t.run(async (ctx) => ({
    users: (await ctx.db.query("users").collect()).length,
    deletedUsers: (await ctx.db.query("deletedUsers").collect()).length,
  }));
}

export const NOTHING: Counts = { users: 0, deletedUsers: 0 };

/** A document's size as Convex roughly counts it (its JSON in UTF-8), to check it stays far from 1 MiB. */
export function documentBytes(document: unknown): number {
  return new TextEncoder().encode(JSON.stringify(document)).byteLength;
}

export function userByClerkId(t: TestConvex, clerkId: string) {
  return t.run((ctx) =>
    ctx.db
      .query("users")
      .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
      .unique(),
  );
}

/** Silences the webhook's per-delivery log lines and returns them, for tests that read them. */
export function captureLogs() {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(keep);
  return lines;
}

/** The fields of one of the webhook's per-delivery log lines (`clerk-users-webhook <status> <json>`). */
export function parseDeliveryLine(line: string | undefined) {
  const match = /^clerk-users-webhook (\d{3}) (\{.*\})$/.exec(line ?? "");
  if (match === null) throw new Error(`not a delivery log line: ${line}`);
  return { status: Number(match[1]), ...JSON.parse(match[2] ?? "") } as {
    status: number;
    svixId: string | null;
    type: string | null;
    outcome: string;
  };
}

/**
 * A `users` row as the kit inserts it: Clerk's fields plus `newUserDefaults`, so a required field an app
 * adds (with its default) needs no edit here.
 */
export function userRow(fields: ClerkUserFields) {
  return { ...newUserDefaults, ...fields };
}

/**
 * The kit's schema with extra fields on `users`, as an app adds them: every field and index of the real
 * table is kept, so the tests that prove sync leaves app fields alone follow the schema as it is edited.
 */
export function schemaWithUserFields<Extra extends PropertyValidators>(extra: Extra) {
  const users = schema.tables.users;
  const table = defineTable({ ...users.validator.fields, ...extra });
  // `index` adds to the table it is called on; the names and fields come from the real table at run time.
  const addIndex = table as unknown as { index(name: string, fields: string[]): unknown };
  for (const { indexDescriptor, fields } of users[" indexes"]()) addIndex.index(indexDescriptor, fields);
  return defineSchema({ ...schema.tables, users: table });
}
