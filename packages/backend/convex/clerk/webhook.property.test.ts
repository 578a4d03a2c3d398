/**
 * Svix delivers at least once and in no particular order, and the web app may create a row from the
 * caller's token at any moment in between. Whatever the order, however many retries and token calls, each
 * user must end where Clerk's newest event points: gone if Clerk deleted them, else the version with the
 * highest `updated_at`, else (no webhook yet) the row made from their token.
 */
import { TOKEN_VERSION } from "@repo/shared/config";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api } from "../_generated/api";
import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "../clerk.fixtures";
import { captureLogs, deliver, newSvixId, setupTest, userByClerkId } from "../webhook.testkit";

const USERS = [fakeClerkId("user", "p0"), fakeClerkId("user", "p1"), fakeClerkId("user", "p2")] as const;

type Step = {
  user: 0 | 1 | 2;
  /** "token": the web app calls users.ensureFromToken as this user. */
  type: "user.created" | "user.updated" | "user.deleted" | "token";
  updatedAt: number;
};

// Distinct `updated_at` per user: two different versions with one timestamp have no "newest".
const stepsArb = fc.uniqueArray(
  fc.record({
    user: fc.constantFrom(0 as const, 1 as const, 2 as const),
    type: fc.constantFrom(
      "user.created" as const,
      "user.updated" as const,
      "user.deleted" as const,
      "token" as const,
    ),
    updatedAt: fc.integer({ min: 1_764_000_000_000, max: 1_764_000_100_000 }),
  }),
  { minLength: 1, maxLength: 12, selector: (step) => `${step.user}:${step.updatedAt}` },
);

/** Every step once, some webhooks again (a retry keeps its svix id), all in a random order. */
const scenarioArb = stepsArb.chain((steps) =>
  fc
    .array(fc.nat({ max: steps.length - 1 }), { maxLength: 6 })
    .chain((retries) => {
      const order = [...steps.keys(), ...retries];
      return fc.shuffledSubarray(order, { minLength: order.length });
    })
    .map((order) => ({ steps, order })),
);

function payloadOf(step: Step) {
  const id = USERS[step.user];
  if (step.type === "user.deleted") return fakeUserDeletedEvent(id, step.updatedAt);
  if (step.type === "token") throw new Error("a token call is not a delivery");
  // The version is visible in the stored name, so the test can tell which one won.
  return fakeUserEvent(
    step.type,
    fakeClerkUser({ id, firstName: `v${step.updatedAt}`, updatedAt: step.updatedAt }),
  );
}

describe("delivery order, retries and token calls (property)", () => {
  it("always ends in the state the newest event of each user implies", async () => {
    captureLogs();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ steps, order }) => {
        const t = setupTest();
        const svixIds = steps.map(() => newSvixId());
        for (const index of order) {
          const step = steps[index] as Step;
          if (step.type === "token") {
            const asUser = t.withIdentity({ subject: USERS[step.user], name: "From the token" });
            await asUser.mutation(api.users.ensureFromToken, {});
          } else {
            const response = await deliver(t, payloadOf(step), { svixId: svixIds[index] });
            expect(response.status).toBe(200);
          }
        }

        for (const [user, clerkId] of USERS.entries()) {
          const own = steps.filter((step) => step.user === user);
          const stored = await userByClerkId(t, clerkId);
          const tombstoned = await t.run((ctx) =>
            ctx.db
              .query("deletedUsers")
              .withIndex("by_clerk_id", (q) => q.eq("clerkId", clerkId))
              .unique(),
          );
          const deleted = own.some((step) => step.type === "user.deleted");
          expect(tombstoned !== null).toBe(deleted);
          const versions = own.filter((step) => step.type === "user.created" || step.type === "user.updated");
          const newest = Math.max(...versions.map((step) => step.updatedAt));
          if (deleted) {
            expect(stored).toBeNull();
          } else if (versions.length > 0) {
            expect(stored).toMatchObject({ clerkUpdatedAt: newest, name: `v${newest} Lovelace` });
          } else if (own.some((step) => step.type === "token")) {
            expect(stored).toMatchObject({ clerkUpdatedAt: TOKEN_VERSION, name: "From the token" });
          } else {
            expect(stored).toBeNull();
          }
        }
      }),
      // About 0.8 s on an idle 2-core machine; the timeout leaves room for a second test run beside it.
      { numRuns: 80, seed: 20_261_202 },
    );
  }, 20_000);
});
