/**
 * Svix delivers at least once and in no particular order. Whatever the order and however many retries,
 * the table must end where the newest event of each user points: gone if Clerk deleted the user, else the
 * version with the highest `updated_at`.
 */
import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "@repo/shared/clerk-fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captureLogs, countDocuments, deliver, newSvixId, setupTest, userByClerkId } from "./webhook.testkit";

const USERS = [fakeClerkId("user", "p0"), fakeClerkId("user", "p1"), fakeClerkId("user", "p2")] as const;

type ClerkEvent = {
  user: 0 | 1 | 2;
  type: "user.created" | "user.updated" | "user.deleted";
  updatedAt: number;
};

// Distinct `updated_at` per user: two different versions with one timestamp have no "newest".
const eventsArb = fc.uniqueArray(
  fc.record({
    user: fc.constantFrom(0 as const, 1 as const, 2 as const),
    type: fc.constantFrom("user.created" as const, "user.updated" as const, "user.deleted" as const),
    updatedAt: fc.integer({ min: 1_764_000_000_000, max: 1_764_000_100_000 }),
  }),
  { minLength: 1, maxLength: 10, selector: (event) => `${event.user}:${event.updatedAt}` },
);

/** Every event once, some again (a retry keeps its svix id), all in a random order. */
const scenarioArb = eventsArb.chain((events) =>
  fc
    .array(fc.nat({ max: events.length - 1 }), { maxLength: 6 })
    .chain((retries) => {
      const deliveries = [...events.keys(), ...retries];
      return fc.shuffledSubarray(deliveries, { minLength: deliveries.length });
    })
    .map((order) => ({ events, order })),
);

function payloadOf(event: ClerkEvent) {
  const id = USERS[event.user];
  if (event.type === "user.deleted") return fakeUserDeletedEvent(id, event.updatedAt);
  // The version is visible in the stored name, so the test can tell which one won.
  return fakeUserEvent(
    event.type,
    fakeClerkUser({ id, firstName: `v${event.updatedAt}`, updatedAt: event.updatedAt }),
  );
}

describe("delivery order and retries (property)", () => {
  it("always ends in the state the newest event of each user implies", async () => {
    captureLogs();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events, order }) => {
        const t = setupTest();
        const svixIds = events.map(() => newSvixId());
        for (const index of order) {
          const event = events[index] as ClerkEvent;
          const response = await deliver(t, payloadOf(event), { svixId: svixIds[index] });
          expect(response.status).toBe(200);
        }

        for (const [user, clerkId] of USERS.entries()) {
          const own = events.filter((event) => event.user === user);
          const stored = await userByClerkId(t, clerkId);
          const tombstoned = await t.run((ctx) =>
            ctx.db
              .query("deletedUsers")
              .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
              .unique(),
          );
          const deleted = own.some((event) => event.type === "user.deleted");
          expect(tombstoned !== null).toBe(deleted);
          const newest = Math.max(
            ...own.filter((event) => event.type !== "user.deleted").map((e) => e.updatedAt),
          );
          if (deleted || newest === -Infinity) {
            expect(stored).toBeNull();
          } else {
            expect(stored).toMatchObject({ clerkUpdatedAt: newest, name: `v${newest} Lovelace` });
          }
        }
        // Each message is logged once, however often it was delivered.
        expect((await countDocuments(t)).webhookEvents).toBe(events.length);
      }),
      { numRuns: 60 },
    );
  });
});
