/**
 * Organizations and memberships through the signed webhook (every event × ordering case of design.md →
 * "Organizations"), and who counts as a member through `orgs.current` and the org wrappers.
 */
import { makeFunctionReference } from "convex/server";
import type { JSONValue } from "convex/values";
import { convexTest } from "convex-test";
import { describe, expect, it, vi } from "vitest";
import { api, internal } from "../_generated/api";
import {
  type FakeMembershipOptions,
  type FakeOrganizationOptions,
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
import { orgMutation, orgQuery } from "../functions";
import schema from "../schema";
import { captureLogs, deliver, modules, setupTest, TEST_SECRET, type TestConvex } from "../webhook.testkit";
import { CASCADE_BATCH } from "./batches";

const ACME = fakeClerkId("org", "acme");
const GLOBEX = fakeClerkId("org", "globex");
const ADA = fakeClerkId("user", "ada");
const GRACE = fakeClerkId("user", "grace");
const T0 = 1_764_000_000_000;

const organization = (updatedAt = T0, options: FakeOrganizationOptions = {}) =>
  fakeClerkOrganization({ id: ACME, updatedAt, ...options });
const orgEvent = (
  type: "organization.created" | "organization.updated",
  updatedAt = T0,
  options: FakeOrganizationOptions = {},
) => fakeOrganizationEvent(type, organization(updatedAt, options));
const memberEvent = (
  type:
    | "organizationMembership.created"
    | "organizationMembership.updated"
    | "organizationMembership.deleted",
  options: FakeMembershipOptions = {},
) =>
  fakeMembershipEvent(type, fakeClerkMembership({ organization: organization(), userId: ADA, ...options }));
const userCreated = (id: string) => fakeUserEvent("user.created", fakeClerkUser({ id, updatedAt: T0 }));

/** Delivers a signed event and returns the status and the outcome the webhook answered with. */
async function send(t: TestConvex, payload: unknown) {
  const response = await deliver(t, payload);
  return { status: response.status, outcome: await response.text() };
}

/** Every organization table, for "nothing else was written". */
function orgTables(t: TestConvex) {
  return t.run(async (ctx) => ({
    organizations: await ctx.db.query("organizations").collect(),
    memberships: await ctx.db.query("memberships").collect(),
    deletedOrganizations: await ctx.db.query("deletedOrganizations").collect(),
    deletedMemberships: await ctx.db.query("deletedMemberships").collect(),
  }));
}

async function stored(t: TestConvex) {
  const tables = await orgTables(t);
  return { organization: tables.organizations[0], membership: tables.memberships[0], tables };
}

/** Convex hands a v2 session token's custom claims to functions as they are: `o` arrives as an object. */
const v2 = (subject: string, o: JSONValue | undefined) => ({ subject, o });

describe("organization.created / organization.updated", () => {
  it("stores the mapped fields, never members_count or metadata", async () => {
    const t = setupTest();
    captureLogs();
    expect(await send(t, orgEvent("organization.created"))).toEqual({ status: 200, outcome: "created" });
    const { organization: org } = await stored(t);
    expect(org).toMatchObject({ clerkOrgId: ACME, name: "Acme Inc", slug: "acme-inc", clerkUpdatedAt: T0 });
    expect(org?.imageUrl).toMatch(/^https:\/\/img\.clerk\.com\//);
    expect(Object.keys(org ?? {}).sort()).toEqual(
      ["_creationTime", "_id", "clerkOrgId", "clerkUpdatedAt", "imageUrl", "name", "slug"].sort(),
    );
  });

  it("stores an empty slug when the instance has slugs turned off (Clerk sends null)", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, orgEvent("organization.created", T0, { slug: null, imageUrl: null }));
    const { organization: org } = await stored(t);
    expect(org?.slug).toBe("");
    expect(org).not.toHaveProperty("imageUrl");
  });

  it("applies a strictly newer update and creates an unknown organization from an update", async () => {
    const t = setupTest();
    captureLogs();
    expect((await send(t, orgEvent("organization.updated", T0 + 5))).outcome).toBe("created");
    const renamed = orgEvent("organization.updated", T0 + 9, { name: "Acme Corp", imageUrl: null });
    expect(await send(t, renamed)).toEqual({ status: 200, outcome: "updated" });
    const { organization: org } = await stored(t);
    expect(org).toMatchObject({ name: "Acme Corp", clerkUpdatedAt: T0 + 9 });
    expect(org).not.toHaveProperty("imageUrl");
  });

  it("ignores an older or equal updated_at", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, orgEvent("organization.updated", T0 + 9, { name: "Newest" }));
    const before = await orgTables(t);
    expect(await send(t, orgEvent("organization.created", T0, { name: "Old" }))).toEqual({
      status: 200,
      outcome: "stale",
    });
    expect((await send(t, orgEvent("organization.updated", T0 + 9, { name: "Same time" }))).outcome).toBe(
      "stale",
    );
    expect(await orgTables(t)).toEqual(before);
  });
});

describe("organization.deleted", () => {
  it("removes the organization and keeps a tombstone; a repeat or an unknown id answers 200 too", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, orgEvent("organization.created"));
    expect(await send(t, fakeOrganizationDeletedEvent(ACME))).toEqual({ status: 200, outcome: "deleted" });
    expect(await send(t, fakeOrganizationDeletedEvent(ACME))).toEqual({
      status: 200,
      outcome: "already_deleted",
    });
    expect(await send(t, fakeOrganizationDeletedEvent(GLOBEX))).toEqual({
      status: 200,
      outcome: "already_deleted",
    });
    const tables = await orgTables(t);
    expect(tables.organizations).toEqual([]);
    expect(tables.deletedOrganizations.map((row) => row.clerkOrgId).sort()).toEqual([ACME, GLOBEX].sort());
  });

  it("never comes back: later organization and membership events for it write nothing", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, fakeOrganizationDeletedEvent(ACME));
    const before = await orgTables(t);
    for (const event of [
      orgEvent("organization.updated", T0 + 1_000_000),
      orgEvent("organization.created"),
      memberEvent("organizationMembership.created"),
      memberEvent("organizationMembership.updated", { updatedAt: T0 + 1_000_000 }),
      memberEvent("organizationMembership.deleted"),
    ]) {
      expect(await send(t, event)).toEqual({ status: 200, outcome: "deleted_organization" });
    }
    expect(await orgTables(t)).toEqual(before);
  });

  it("stops counting in the webhook's own transaction and takes its memberships along", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, userCreated(ADA));
    await send(t, memberEvent("organizationMembership.created", { role: "org:admin" }));
    await send(t, memberEvent("organizationMembership.created", { userId: GRACE }));
    const asAda = t.withIdentity(v2(ADA, { id: ACME, rol: "admin" }));
    expect(await asAda.query(api.orgs.current, {})).toMatchObject({ clerkOrgId: ACME, role: "org:admin" });

    await send(t, fakeOrganizationDeletedEvent(ACME));
    await expect(asAda.query(api.orgs.current, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    expect((await orgTables(t)).memberships).toEqual([]);
  });

  it("removes more memberships than one transaction holds in scheduled batches, each within Convex's limits", async () => {
    vi.useFakeTimers();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", TEST_SECRET);
    // Convex's limits, with writes per transaction cut to little more than one batch.
    const t = convexTest({ schema, modules, transactionLimits: { documentsWritten: CASCADE_BATCH + 8 } });
    captureLogs();
    await send(t, orgEvent("organization.created"));
    const count = CASCADE_BATCH * 2 + 5;
    for (let start = 0; start < count; start += CASCADE_BATCH) {
      await t.run(async (ctx) => {
        for (let i = start; i < Math.min(count, start + CASCADE_BATCH); i++) {
          await ctx.db.insert("memberships", {
            clerkOrgId: ACME,
            clerkUserId: fakeClerkId("user", `member-${i}`),
            role: "org:member",
            clerkCreatedAt: T0,
            clerkUpdatedAt: T0,
          });
        }
      });
    }
    expect((await send(t, fakeOrganizationDeletedEvent(ACME))).status).toBe(200);
    expect((await orgTables(t)).memberships).toHaveLength(count - CASCADE_BATCH);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await orgTables(t)).memberships).toEqual([]);
    vi.useRealTimers();
  });
});

describe("organizationMembership.created / updated", () => {
  it("stores the membership by Clerk ids, and the organization embedded in it", async () => {
    const t = setupTest();
    captureLogs();
    expect(await send(t, memberEvent("organizationMembership.created", { role: "org:admin" }))).toEqual({
      status: 200,
      outcome: "created",
    });
    const { organization: org, membership } = await stored(t);
    expect(org).toMatchObject({ clerkOrgId: ACME, name: "Acme Inc" });
    expect(membership).toMatchObject({
      clerkOrgId: ACME,
      clerkUserId: ADA,
      role: "org:admin",
      clerkCreatedAt: T0,
      clerkUpdatedAt: T0,
    });
  });

  it("applies a newer role change and ignores an older or equal one", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.created"));
    const promoted = memberEvent("organizationMembership.updated", { role: "org:admin", updatedAt: T0 + 5 });
    expect((await send(t, promoted)).outcome).toBe("updated");
    const late = memberEvent("organizationMembership.updated", { role: "org:member", updatedAt: T0 + 2 });
    expect((await send(t, late)).outcome).toBe("stale");
    const same = memberEvent("organizationMembership.updated", { role: "org:billing", updatedAt: T0 + 5 });
    expect((await send(t, same)).outcome).toBe("stale");
    expect((await stored(t)).membership).toMatchObject({ role: "org:admin", clerkUpdatedAt: T0 + 5 });
  });

  it("applies the embedded organization under the same rule: only when strictly newer", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, orgEvent("organization.updated", T0 + 9, { name: "Newest" }));
    await send(t, memberEvent("organizationMembership.created"));
    expect((await stored(t)).organization).toMatchObject({ name: "Newest", clerkUpdatedAt: T0 + 9 });
  });

  it("for a deleted user writes nothing", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, fakeUserDeletedEvent(ADA));
    await send(t, orgEvent("organization.created"));
    const before = await orgTables(t);
    expect((await send(t, memberEvent("organizationMembership.created"))).outcome).toBe("deleted_user");
    expect(await orgTables(t)).toEqual(before);
  });
});

describe("organizationMembership.deleted (its updated_at is not bumped)", () => {
  it("removes the membership although its updated_at equals the stored one, and keeps a tombstone", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.created"));
    expect(await send(t, memberEvent("organizationMembership.deleted"))).toEqual({
      status: 200,
      outcome: "deleted",
    });
    const tables = await orgTables(t);
    expect(tables.memberships).toEqual([]);
    expect(tables.deletedMemberships).toMatchObject([
      { clerkOrgId: ACME, clerkUserId: ADA, clerkCreatedAt: T0 },
    ]);
  });

  it("blocks that generation's late events: a created or updated delivered after it writes nothing", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.deleted", { updatedAt: T0 + 3 }));
    const before = await orgTables(t);
    for (const late of [
      memberEvent("organizationMembership.created"),
      memberEvent("organizationMembership.updated", { updatedAt: T0 + 50 }),
      memberEvent("organizationMembership.deleted", { updatedAt: T0 + 3 }),
    ]) {
      expect(await send(t, late)).toEqual({ status: 200, outcome: "deleted_membership" });
    }
    expect(await orgTables(t)).toEqual(before);
  });

  it("lets a re-join with a newer created_at in, and a late deletion of the old generation leaves it", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.created"));
    await send(t, memberEvent("organizationMembership.deleted"));
    const rejoin = { createdAt: T0 + 1_000, role: "org:admin" };
    expect((await send(t, memberEvent("organizationMembership.created", rejoin))).outcome).toBe("created");
    expect((await send(t, memberEvent("organizationMembership.deleted"))).outcome).toBe("deleted_membership");
    expect((await stored(t)).membership).toMatchObject({ clerkCreatedAt: T0 + 1_000, role: "org:admin" });
  });

  it("a re-join that overtakes the old generation's deletion stays, and the deletion still blocks the old one", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.created"));
    await send(t, memberEvent("organizationMembership.created", { createdAt: T0 + 1_000 }));
    expect((await send(t, memberEvent("organizationMembership.deleted"))).outcome).toBe("stale");
    expect(
      (await send(t, memberEvent("organizationMembership.updated", { updatedAt: T0 + 9 }))).outcome,
    ).toBe("deleted_membership");
    expect((await stored(t)).membership).toMatchObject({ clerkCreatedAt: T0 + 1_000 });
  });
});

describe("a membership before its organization or user exists", () => {
  it("is stored, and counts once the user's row exists", async () => {
    const t = setupTest();
    captureLogs();
    // Only the membership event: its embedded organization creates the organization row too.
    await send(t, memberEvent("organizationMembership.created"));
    const asAda = t.withIdentity(v2(ADA, { id: ACME, rol: "member" }));
    await expect(asAda.query(api.orgs.current, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await send(t, userCreated(ADA));
    expect(await asAda.query(api.orgs.current, {})).toEqual({
      clerkOrgId: ACME,
      name: "Acme Inc",
      slug: "acme-inc",
      imageUrl: expect.stringMatching(/^https:/),
      role: "org:member",
    });
  });

  it("counts only while its organization's row exists", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, userCreated(ADA));
    await t.run((ctx) =>
      ctx.db.insert("memberships", {
        clerkOrgId: ACME,
        clerkUserId: ADA,
        role: "org:member",
        clerkCreatedAt: T0,
        clerkUpdatedAt: T0,
      }),
    );
    const asAda = t.withIdentity(v2(ADA, { id: ACME, rol: "member" }));
    await expect(asAda.query(api.orgs.current, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await send(t, orgEvent("organization.created"));
    expect(await asAda.query(api.orgs.current, {})).toMatchObject({ clerkOrgId: ACME });
  });
});

describe("user.deleted", () => {
  it("removes the user's memberships in every organization", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, userCreated(ADA));
    await send(t, memberEvent("organizationMembership.created"));
    await send(
      t,
      fakeMembershipEvent(
        "organizationMembership.created",
        fakeClerkMembership({ organization: fakeClerkOrganization({ id: GLOBEX }), userId: ADA }),
      ),
    );
    await send(t, memberEvent("organizationMembership.created", { userId: GRACE }));
    await send(t, fakeUserDeletedEvent(ADA));
    expect((await orgTables(t)).memberships.map((row) => row.clerkUserId)).toEqual([GRACE]);
  });

  it("removes the memberships of a user whose row never existed, and a later membership deletion too", async () => {
    const t = setupTest();
    captureLogs();
    // The membership arrives before the user's row, and the user is deleted before the row ever lands.
    await send(t, memberEvent("organizationMembership.created", { userId: GRACE }));
    await send(t, fakeUserDeletedEvent(GRACE));
    expect((await orgTables(t)).memberships).toEqual([]);

    // A row left from before the tombstone (an older version of the kit kept them) still goes with
    // Clerk's organizationMembership.deleted, although the user is tombstoned.
    await t.run(async (ctx) => {
      await ctx.db.insert("memberships", {
        clerkOrgId: ACME,
        clerkUserId: GRACE,
        role: "org:member",
        clerkCreatedAt: T0,
        clerkUpdatedAt: T0,
      });
    });
    expect((await send(t, memberEvent("organizationMembership.deleted", { userId: GRACE }))).status).toBe(
      200,
    );
    expect((await orgTables(t)).memberships).toEqual([]);
  });
});

describe("org payloads that are not valid → 422, nothing written", () => {
  const broken: [string, unknown][] = [
    [
      "an organization without a name",
      { ...orgEvent("organization.created"), data: { ...organization(), name: 1 } },
    ],
    ["an organization with updated_at 0", orgEvent("organization.updated", 0)],
    [
      "an organization.deleted without an id",
      { ...fakeOrganizationDeletedEvent(ACME), data: { deleted: true } },
    ],
    [
      "a membership without public_user_data.user_id",
      {
        ...memberEvent("organizationMembership.created"),
        data: { ...fakeClerkMembership(), public_user_data: { identifier: "ada@example.com" } },
      },
    ],
    ["a membership with an empty role", memberEvent("organizationMembership.updated", { role: "" })],
    [
      "a membership with an over-long user id",
      memberEvent("organizationMembership.created", { userId: "u".repeat(65) }),
    ],
  ];

  it.each(broken)("%s", async (_name, payload) => {
    const t = setupTest();
    captureLogs();
    const before = await orgTables(t);
    expect((await send(t, payload)).status).toBe(422);
    expect(await orgTables(t)).toEqual(before);
  });
});

/** Public functions on the wrappers, for what orgs.current cannot show (mutations, a required role). */
const probeModules = {
  ...modules,
  "./probe.ts": async () => ({
    // A query that never looks at membership: the wrapper alone must refuse a non-member.
    read: orgQuery({ args: {}, handler: async (ctx) => ({ org: ctx.org }) }),
    write: orgMutation({ args: {}, handler: async (ctx) => ctx.org?.clerkOrgId ?? "shared room" }),
    adminOnly: orgMutation({ role: "org:admin", args: {}, handler: async (ctx) => ctx.org?.clerkOrgId }),
    editorOnly: orgMutation({ role: "org:editor", args: {}, handler: async (ctx) => ctx.org?.clerkOrgId }),
  }),
};
const probe = {
  read: makeFunctionReference<"query">("probe:read"),
  write: makeFunctionReference<"mutation">("probe:write"),
  adminOnly: makeFunctionReference<"mutation">("probe:adminOnly"),
  editorOnly: makeFunctionReference<"mutation">("probe:editorOnly"),
};

/** Ada (admin) and Grace (member) in Acme; Globex exists but neither belongs to it. */
async function twoMembers() {
  const t = setupTest({ modules: probeModules });
  captureLogs();
  await send(t, userCreated(ADA));
  await send(t, userCreated(GRACE));
  await send(t, memberEvent("organizationMembership.created", { role: "org:admin" }));
  await send(t, memberEvent("organizationMembership.created", { userId: GRACE }));
  await send(t, fakeOrganizationEvent("organization.created", fakeClerkOrganization({ id: GLOBEX })));
  return t;
}

describe("orgs.current and the org wrappers: the active organization", () => {
  it("is null when signed out, and when the token names no organization (the shared room)", async () => {
    const t = await twoMembers();
    expect(await t.query(api.orgs.current, {})).toBeNull();
    for (const absent of [undefined, null, "", "null", { id: "" }, { id: "null" }, { id: null }]) {
      const as = t.withIdentity(v2(ADA, absent));
      expect(await as.query(api.orgs.current, {})).toBeNull();
      expect(await as.query(probe.read, {})).toEqual({ org: null });
      expect(await as.mutation(probe.write, {})).toBe("shared room");
    }
    const v1Null = t.withIdentity({ subject: ADA, org_id: "null", org_role: "org:admin" });
    expect(await v1Null.query(probe.read, {})).toEqual({ org: null });
  });

  it("reads Clerk's v2 claim (o.rol without the org: prefix) and the v1 claims (org_id, org_role)", async () => {
    const t = await twoMembers();
    const fromV2 = await t
      .withIdentity(v2(ADA, { id: ACME, rol: "admin", slg: "acme-inc" }))
      .query(api.orgs.current, {});
    const fromV1 = await t
      .withIdentity({ subject: ADA, org_id: ACME, org_role: "org:admin", org_slug: "acme-inc" })
      .query(api.orgs.current, {});
    expect(fromV2).toMatchObject({ clerkOrgId: ACME, role: "org:admin" });
    expect(fromV1).toEqual(fromV2);
    const grace = t.withIdentity({ subject: GRACE, org_id: ACME, org_role: "org:member" });
    expect(await grace.query(api.orgs.current, {})).toMatchObject({ clerkOrgId: ACME, role: "org:member" });
  });

  it("refuses a forged claim for an organization the caller does not belong to, in queries and mutations, before any handler", async () => {
    const t = await twoMembers();
    const forged = t.withIdentity(v2(ADA, { id: GLOBEX, rol: "admin" }));
    await expect(forged.query(api.orgs.current, {})).rejects.toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
    await expect(forged.query(probe.read, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await expect(forged.mutation(probe.write, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    const unknown = t.withIdentity(v2(ADA, { id: fakeClerkId("org", "nowhere"), rol: "admin" }));
    await expect(unknown.mutation(probe.write, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
  });

  it("takes a removed member's access away at once, although their token still names the organization", async () => {
    const t = await twoMembers();
    const grace = t.withIdentity(v2(GRACE, { id: ACME, rol: "member" }));
    expect(await grace.mutation(probe.write, {})).toBe(ACME);
    await send(t, memberEvent("organizationMembership.deleted", { userId: GRACE }));
    await expect(grace.query(api.orgs.current, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await expect(grace.mutation(probe.write, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
  });

  it("gives admin rights only when both the token and the synced row say admin", async () => {
    const t = await twoMembers();
    const adaAdmin = t.withIdentity(v2(ADA, { id: ACME, rol: "admin" }));
    expect(await adaAdmin.mutation(probe.adminOnly, {})).toBe(ACME);
    // Demoted in Clerk; the webhook has landed, the token has not caught up.
    await send(t, memberEvent("organizationMembership.updated", { role: "org:member", updatedAt: T0 + 5 }));
    expect(await adaAdmin.query(api.orgs.current, {})).toMatchObject({ role: "org:member" });
    await expect(adaAdmin.mutation(probe.adminOnly, {})).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    // Promoted again in the table, but the token (refreshed meanwhile) says member.
    await send(t, memberEvent("organizationMembership.updated", { role: "org:admin", updatedAt: T0 + 9 }));
    const adaMember = t.withIdentity(v2(ADA, { id: ACME, rol: "member" }));
    expect(await adaMember.query(api.orgs.current, {})).toMatchObject({ role: "org:member" });
    await expect(adaMember.mutation(probe.adminOnly, {})).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    // A member whose token claims admin.
    const graceClaimsAdmin = t.withIdentity(v2(GRACE, { id: ACME, rol: "admin" }));
    expect(await graceClaimsAdmin.query(api.orgs.current, {})).toMatchObject({ role: "org:member" });
    await expect(graceClaimsAdmin.mutation(probe.adminOnly, {})).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
  });

  it("refuses an o claim it cannot read (not an object), never treating it as no organization", async () => {
    const t = await twoMembers();
    for (const unreadable of [ACME, 42, [ACME]]) {
      const as = t.withIdentity(v2(ADA, unreadable));
      await expect(as.query(probe.read, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
      await expect(as.mutation(probe.write, {})).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    }
  });

  it("gives a custom role only when both the token and the synced row say it, so a demotion counts at once", async () => {
    const t = await twoMembers();
    await send(
      t,
      memberEvent("organizationMembership.updated", { userId: GRACE, role: "org:editor", updatedAt: T0 + 5 }),
    );
    const graceEditor = t.withIdentity(v2(GRACE, { id: ACME, rol: "editor" }));
    expect(await graceEditor.mutation(probe.editorOnly, {})).toBe(ACME);
    // Demoted in Clerk: the refreshed token says member before the webhook reaches the row.
    const graceDemoted = t.withIdentity(v2(GRACE, { id: ACME, rol: "member" }));
    await expect(graceDemoted.mutation(probe.editorOnly, {})).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
  });

  it("refuses a required role without an active organization", async () => {
    const t = await twoMembers();
    await expect(t.withIdentity({ subject: ADA }).mutation(probe.adminOnly, {})).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
  });

  it("takes the organization id from the token only: a caller cannot pass one", async () => {
    const t = await twoMembers();
    const grace = t.withIdentity(v2(GRACE, { id: ACME, rol: "member" }));
    await expect(grace.mutation(probe.write, { clerkOrgId: GLOBEX } as never)).rejects.toThrow();
  });

  it("leaves an instance without organizations as before: users.current, and no org for anyone", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, userCreated(ADA));
    const asAda = t.withIdentity({ subject: ADA });
    expect(await asAda.query(api.orgs.current, {})).toBeNull();
    expect((await asAda.query(api.users.current, {}))?.clerkId).toBe(ADA);
    expect(await orgTables(t)).toEqual({
      organizations: [],
      memberships: [],
      deletedOrganizations: [],
      deletedMemberships: [],
    });
  });
});

describe("internal deletions reach the same state as the webhook", () => {
  it("deleteOrganizationFromClerk tombstones an organization sync:clerk no longer finds", async () => {
    const t = setupTest();
    captureLogs();
    await send(t, memberEvent("organizationMembership.created"));
    expect(await t.mutation(internal.clerk.orgs.deleteOrganizationFromClerk, { clerkOrgId: ACME })).toBe(
      "deleted",
    );
    const tables = await orgTables(t);
    expect(tables.organizations).toEqual([]);
    expect(tables.memberships).toEqual([]);
    expect(tables.deletedOrganizations).toHaveLength(1);
  });
});
