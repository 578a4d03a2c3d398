/**
 * Organization and membership events in any order, some delivered twice: each organization ends at its
 * newest version or gone for good, and each membership at the newest version of the newest generation no
 * deletion covers, or gone. `orgs.current` agrees for every caller.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api } from "../_generated/api";
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
} from "../clerk.fixtures";
import { captureLogs, deliver, newSvixId, setupTest } from "../webhook.testkit";
import { membershipOf, organizationByClerkId } from "./identity";

const ORGS = [fakeClerkId("org", "p0"), fakeClerkId("org", "p1")] as const;
const USERS = [fakeClerkId("user", "p0"), fakeClerkId("user", "p1")] as const;
const T0 = 1_764_000_000_000;

type Index = 0 | 1;
type Step =
  | { kind: "org"; org: Index; type: "organization.created" | "organization.updated"; updatedAt: number }
  | { kind: "orgDeleted"; org: Index }
  | { kind: "userDeleted"; user: Index }
  | {
      kind: "membership";
      org: Index;
      user: Index;
      type:
        | "organizationMembership.created"
        | "organizationMembership.updated"
        | "organizationMembership.deleted";
      /** The generation: 0 or 1 (a re-join). */
      generation: Index;
      updatedAt: number;
      admin: boolean;
      /** The version of the organization embedded in the payload. */
      orgUpdatedAt: number;
    };

const index = fc.constantFrom(0 as const, 1 as const);
const time = fc.integer({ min: 1, max: 40 }).map((offset) => T0 + offset * 1_000);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("org" as const),
      org: index,
      type: fc.constantFrom("organization.created" as const, "organization.updated" as const),
      updatedAt: time,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("orgDeleted" as const), org: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("userDeleted" as const), user: index }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("membership" as const),
      org: index,
      user: index,
      type: fc.constantFrom(
        "organizationMembership.created" as const,
        "organizationMembership.updated" as const,
        "organizationMembership.deleted" as const,
      ),
      generation: index,
      updatedAt: time,
      admin: fc.boolean(),
      orgUpdatedAt: time,
    }),
  },
);

/** One version per key: two different payloads with one timestamp have no "newest". */
function versionKey(step: Step): string {
  if (step.kind === "org") return `org:${step.org}:${step.updatedAt}`;
  if (step.kind === "membership") {
    const deletion = step.type === "organizationMembership.deleted" ? "deleted" : "upsert";
    return `membership:${deletion}:${step.org}:${step.user}:${step.generation}:${step.updatedAt}`;
  }
  return `${step.kind}:${"org" in step ? step.org : step.user}`;
}

/** Every step once, some again (a retry keeps its svix id), all in a random order. */
const scenarioArb = fc
  .uniqueArray(stepArb, { minLength: 1, maxLength: 14, selector: versionKey })
  .chain((steps) =>
    fc
      .array(fc.nat({ max: steps.length - 1 }), { maxLength: 4 })
      .chain((retries) =>
        fc.shuffledSubarray([...steps.keys(), ...retries], { minLength: steps.length + retries.length }),
      )
      .map((order) => ({ steps, order })),
  );

const generationTime = (generation: Index) => T0 + generation * 100_000;
/** A version's content follows from its timestamp, so the test can tell which one won. */
const orgName = (updatedAt: number) => `Org v${updatedAt}`;

function payloadOf(step: Step) {
  switch (step.kind) {
    case "org":
      return fakeOrganizationEvent(
        step.type,
        fakeClerkOrganization({
          id: ORGS[step.org],
          name: orgName(step.updatedAt),
          updatedAt: step.updatedAt,
        }),
      );
    case "orgDeleted":
      return fakeOrganizationDeletedEvent(ORGS[step.org]);
    case "userDeleted":
      return fakeUserDeletedEvent(USERS[step.user]);
    case "membership": {
      const organization = fakeClerkOrganization({
        id: ORGS[step.org],
        name: orgName(step.orgUpdatedAt),
        updatedAt: step.orgUpdatedAt,
      });
      // A membership's `updated_at` is never before its `created_at`.
      const createdAt = generationTime(step.generation);
      const membership = fakeClerkMembership({
        organization,
        userId: USERS[step.user],
        role: step.admin ? "org:admin" : "org:member",
        createdAt,
        updatedAt: createdAt + (step.updatedAt - T0),
      });
      return fakeMembershipEvent(step.type, membership);
    }
  }
}

/** What the newest events imply, whatever the order they arrived in. */
function expected(steps: Step[]) {
  const orgDeleted = (org: Index) => steps.some((step) => step.kind === "orgDeleted" && step.org === org);
  const userDeleted = (user: Index) =>
    steps.some((step) => step.kind === "userDeleted" && step.user === user);
  const organization = (org: Index) => {
    if (orgDeleted(org)) return null;
    const versions = steps.flatMap((step) =>
      step.kind === "org" && step.org === org
        ? [step.updatedAt]
        : step.kind === "membership" && step.org === org
          ? [step.orgUpdatedAt]
          : [],
    );
    return versions.length === 0 ? null : orgName(Math.max(...versions));
  };
  const membership = (org: Index, user: Index) => {
    if (orgDeleted(org) || userDeleted(user)) return null;
    const own = steps.filter(
      (step): step is Extract<Step, { kind: "membership" }> =>
        step.kind === "membership" && step.org === org && step.user === user,
    );
    const deletedUpTo = Math.max(
      -1,
      ...own.filter((step) => step.type === "organizationMembership.deleted").map((step) => step.generation),
    );
    const live = own
      .filter((step) => step.type !== "organizationMembership.deleted" && step.generation > deletedUpTo)
      .sort((a, b) => a.generation - b.generation || a.updatedAt - b.updatedAt);
    const newest = live.at(-1);
    return newest === undefined ? null : newest.admin ? "org:admin" : "org:member";
  };
  return { organization, membership, userDeleted };
}

describe("organization and membership events in any order, with retries (property)", () => {
  it("always end in the state the newest events imply", async () => {
    captureLogs();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ steps, order }) => {
        const t = setupTest();
        for (const id of USERS) {
          await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id, updatedAt: T0 })));
        }
        const svixIds = steps.map(() => newSvixId());
        for (const at of order) {
          const response = await deliver(t, payloadOf(steps[at] as Step), { svixId: svixIds[at] });
          expect(response.status).toBe(200);
        }

        const want = expected(steps);
        for (const org of [0, 1] as const) {
          const stored = await t.run((ctx) => organizationByClerkId(ctx, ORGS[org]));
          expect(stored?.name ?? null).toBe(want.organization(org));
          for (const user of [0, 1] as const) {
            const row = await t.run((ctx) => membershipOf(ctx, ORGS[org], USERS[user]));
            expect(row?.role ?? null).toBe(want.membership(org, user));
            const asUser = t.withIdentity({ subject: USERS[user], o: { id: ORGS[org], rol: "admin" } });
            const current = await asUser.query(api.orgs.current, {}).catch((error) => error.data?.code);
            const counts = want.organization(org) !== null && !want.userDeleted(user);
            const member = counts ? want.membership(org, user) : null;
            // The token names the organization: a caller who is not a live member of it is refused.
            expect(member === null ? current : current?.role).toBe(member ?? "NOT_A_MEMBER");
          }
        }
      }),
      // About 0.8 s on an idle 2-core machine, 5 s with two test runs and more beside it: hence the timeout.
      { numRuns: 50 },
    );
  }, 20_000);
});
