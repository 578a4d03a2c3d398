/**
 * Thousands of tampered deliveries: each starts as a genuine signed Clerk event and gets one to three
 * mutations that an attacker or a broken proxy could cause. None may be accepted, and none may write.
 * Every mutation is built so that it really changes what was signed (see the notes on each).
 */

import fc from "fast-check";
import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "../clerk.fixtures";
import {
  captureLogs,
  countDocuments,
  NOTHING,
  OTHER_SECRET,
  post,
  setupTest,
  signedDelivery,
  TEST_SECRET,
} from "../webhook.testkit";

const SEED = 20_260_127;
// About 1 ms per request on an idle 2-core machine (an HMAC of a 1 KB body plus convex-test's dispatch):
// 800 runs take about a second, and stay far inside the test's timeout with another test run beside it.
const RUNS = 800;
const SVIX_HEADERS = ["svix-id", "svix-timestamp", "svix-signature"] as const;
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

type Request = { headers: Record<string, string>; body: Uint8Array };
type Mutation = (request: Request) => void;

const genuineArb = fc
  .record({
    type: fc.constantFrom("user.created", "user.updated", "user.deleted"),
    seed: fc.string({ minLength: 1, maxLength: 8 }),
    // In the past: an updated_at more than a day ahead is refused (422) before any mutation runs.
    updatedAt: fc.integer({ min: 1_700_000_000_000, max: 1_780_000_000_000 }),
  })
  .map(({ type, seed, updatedAt }) => {
    const id = fakeClerkId("user", seed);
    const payload =
      type === "user.deleted"
        ? fakeUserDeletedEvent(id, updatedAt)
        : fakeUserEvent(type, fakeClerkUser({ id, updatedAt }));
    const { headers, body } = signedDelivery(payload);
    return { headers, body: new TextEncoder().encode(body) };
  });

const seconds = (request: Request) => Number(request.headers["svix-timestamp"]);

/** Replaces the character at `at` (mod length) with a different one from `alphabet`. */
function changeChar(value: string, at: number, pick: number, alphabet: string): string {
  if (value === "") return alphabet[pick % alphabet.length] ?? "x";
  const index = at % value.length;
  const current = value[index] ?? "";
  const choices = alphabet.replace(current, "");
  return value.slice(0, index) + choices[pick % choices.length] + value.slice(index + 1);
}

function resign(request: Request, secret: string, unixSeconds: number) {
  const body = new TextDecoder().decode(request.body);
  const msgId = request.headers["svix-id"] ?? "";
  request.headers["svix-timestamp"] = String(unixSeconds);
  request.headers["svix-signature"] = new Webhook(secret).sign(msgId, new Date(unixSeconds * 1000), body);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...SVIX_HEADERS).map((name) => (request: Request) => {
    delete request.headers[name];
  }),
  // The id is part of the signed content, so a different id must fail (and would dodge the dedupe if not).
  fc.tuple(fc.nat(), fc.nat()).map(([at, pick]) => (request: Request) => {
    const id = request.headers["svix-id"];
    if (id !== undefined) request.headers["svix-id"] = changeChar(id, at, pick, BASE64.slice(0, 62));
  }),
  // A different second inside the tolerance: the signature covers the timestamp. (Not leading zeros or a
  // suffix: svix parses the header with parseInt, so "0123" and "123abc" would still mean 123.)
  fc
    .integer({ min: -240, max: 240 })
    .filter((delta) => delta !== 0)
    .map((delta) => (request: Request) => {
      if (request.headers["svix-timestamp"] !== undefined) {
        request.headers["svix-timestamp"] = String(seconds(request) + delta);
      }
    }),
  fc.constantFrom("", "soon", "NaN", "-", "1e", " ").map((garbage) => (request: Request) => {
    request.headers["svix-timestamp"] = garbage;
  }),
  // Any character of the base64 MAC, or the version prefix, or the whole value.
  fc.tuple(fc.nat(), fc.nat()).map(([at, pick]) => (request: Request) => {
    const signature = request.headers["svix-signature"];
    if (signature === undefined) return;
    const [, mac = ""] = signature.split(",");
    request.headers["svix-signature"] = `v1,${changeChar(mac, at, pick, BASE64)}`;
  }),
  fc.constantFrom("v2,", "v1,", "", "v1", "garbage").map((value) => (request: Request) => {
    const mac = request.headers["svix-signature"]?.split(",")[1] ?? "";
    request.headers["svix-signature"] = value.startsWith("v2") ? `${value}${mac}` : value;
  }),
  fc.nat().map((at) => (request: Request) => {
    request.body = request.body.slice(0, at % Math.max(request.body.length, 1));
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => (request: Request) => {
    if (request.body.length === 0) return;
    const body = request.body.slice();
    const index = at % body.length;
    body[index] = (body[index] ?? 0) ^ mask;
    request.body = body;
  }),
  fc.constant((request: Request) => resign(request, OTHER_SECRET, seconds(request) || nowSeconds())),
  // Signed with the right secret, but outside Svix's 5-minute window (with margin for a slow test run).
  fc
    .oneof(fc.integer({ min: -86_400, max: -310 }), fc.integer({ min: 310, max: 86_400 }))
    .map((offset) => (request: Request) => resign(request, TEST_SECRET, nowSeconds() + offset)),
);

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

describe("tampered deliveries (seeded fuzz)", () => {
  it("the unmodified deliveries it starts from are accepted (so a rejection is the mutation's doing)", async () => {
    const t = setupTest();
    captureLogs();
    await fc.assert(
      fc.asyncProperty(genuineArb, async (request) => {
        expect((await post(t, request)).status).toBe(200);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it("rejects every mutated delivery with 400 and writes nothing", async () => {
    const t = setupTest();
    captureLogs();
    await fc.assert(
      fc.asyncProperty(
        genuineArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        async (request, mutations) => {
          for (const mutate of mutations) mutate(request);
          expect((await post(t, request)).status).toBe(400);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(await countDocuments(t)).toEqual(NOTHING);
  }, 30_000);
});
