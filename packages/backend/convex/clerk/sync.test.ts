/**
 * `pnpm sync:clerk` against Clerk's Backend API faked at the HTTP boundary. The fake answers only what Clerk's
 * Backend API specification (github.com/clerk/openapi-specs, bapi/2026-05-12.yml) allows for the calls the
 * sync makes, each fact beside the code that keeps it:
 * - `GET /v1/users` answers a JSON array of `UserJSON`; `limit` 1..500 (default 10), `offset` >= 0;
 *   `order_by` defaults to `-created_at`; `starting_after` (a user id) returns the users after it, only with a
 *   `created_at` ordering and never with a non-zero `offset` (both a 422).
 * - `GET /v1/users/{id}` answers the user or 404 `resource_not_found`; 429 with Retry-After when rate-limited.
 * - The specification does not say what a `starting_after` whose user was deleted answers: the fake answers
 *   the worst plausible thing, an empty page, which looks like the end of the list.
 * - Organizations and memberships answer `{ data, total_count }`, with `limit`/`offset` and no cursor.
 * Each misbehaviour the run must not believe is an option of the fake.
 */
import { v } from "convex/values";
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../_generated/api";
import {
  type FakeClerkMembership,
  type FakeClerkOrganization,
  type FakeClerkUser,
  fakeClerkId,
  fakeClerkMembership,
  fakeClerkOrganization,
  fakeClerkUser,
  fakeUserEvent,
} from "../clerk.fixtures";
import crons from "../crons";
import {
  captureLogs,
  countDocuments,
  deliver,
  modules,
  schemaWithUserFields,
  setupTest,
  TEST_ISSUER,
  TEST_SECRET,
  type TestConvex,
  userByClerkId,
  userRow,
  withComponents,
} from "../webhook.testkit";
import { MAX_RETRY_AFTER_MS, PAGE_SIZE, REQUEST_TIMEOUT_MS } from "./clerkApi";
import { membershipOf } from "./identity";
import { OVERLAP } from "./lists";
import { RECENT_MS } from "./prune";
import { MAX_PAGES, MAX_RETRIES } from "./sync";

const SECRET_KEY = "sk_test_fake_reconcile_key";
const ISSUER = "https://clever-fox-12.clerk.accounts.dev";
/** The instance's signing keys, as both `GET /v1/jwks` and the issuer's `/.well-known/jwks.json` publish them. */
const JWKS = {
  keys: [{ kid: "ins_2aVxQmSigningKey", kty: "RSA", use: "sig", alg: "RS256", n: "0vx7", e: "AQAB" }],
};
const BASE_TIME = 1_764_000_000_000;

/** `count` Clerk users created a second apart, in Clerk's JSON shape. */
function clerkUsers(count: number, from = 0): FakeClerkUser[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return fakeClerkUser({
      id: fakeClerkId("user", `clerk-${i}`),
      firstName: `User${i}`,
      emails: [`user${i}@example.com`],
      createdAt: BASE_TIME + i * 1000,
      updatedAt: BASE_TIME + i * 1000 + 500,
    });
  });
}

type ListRequest = {
  offset: number | null;
  startingAfter: string | null;
  limit: number;
  orderBy: string | null;
};

type FakeClerkOptions = {
  /** Runs before a request is answered: Clerk's data may change, a webhook may land. */
  beforeAnswer?: (request: ListRequest, count: number) => Promise<void> | void;
  /** Answer 429 with this Retry-After (seconds) when it returns true. */
  rateLimit?: (request: ListRequest) => boolean;
  retryAfter?: string;
  /** What `GET /v1/jwks` answers for the secret key: another instance's keys, for a wrong key. */
  keyJwks?: typeof JWKS;
  /** Clerk's own cap on `limit` (it may answer fewer than asked). */
  maxLimit?: number;
  /** Misbehaviours: the list ignores `starting_after`; it ends after this many users (an empty page too early). */
  ignoreCursor?: boolean;
  endsAfter?: number;
  /** Ids that `GET /v1/users/{id}` (or `/v1/organizations/{id}`) still finds although the list left them out. */
  stillThere?: string[];
  /** Clerk's organizations and memberships; without them the instance has organizations turned off. */
  organizations?: FakeClerkOrganization[];
  memberships?: FakeClerkMembership[];
  /** Misbehaviours of the organization endpoints. */
  ignoreOrgOffset?: boolean;
  /** Runs before an organization list request is answered: Clerk's organizations may change. */
  beforeOrgAnswer?: (url: URL) => void;
  membershipLookup?: "ignores-filter";
  /** Memberships an organization's own list still has although the instance-wide list leaves them out. */
  unlisted?: FakeClerkMembership[];
};

/**
 * Clerk's organization endpoints: `{ data, total_count }` lists, 404 for an unknown organization, and 403
 * `organization_not_enabled_in_instance` on an instance without organizations.
 */
function fakeOrganizationsApi(url: URL, options: FakeClerkOptions): Response {
  const { organizations, memberships = [] } = options;
  if (organizations === undefined) {
    return Response.json(
      {
        errors: [
          {
            message: "access denied",
            long_message: "The organizations feature is not enabled for this instance.",
            code: "organization_not_enabled_in_instance",
          },
        ],
      },
      { status: 403 },
    );
  }
  const params = url.searchParams;
  const limit = Math.min(Number(params.get("limit") ?? 10), options.maxLimit ?? 500);
  options.beforeOrgAnswer?.(url);
  const page = <T extends { created_at: number }>(rows: T[]) => {
    const sorted = [...rows].sort((a, b) => a.created_at - b.created_at);
    const offset = options.ignoreOrgOffset ? 0 : Number(params.get("offset") ?? 0);
    return Response.json({ data: sorted.slice(offset, offset + limit), total_count: rows.length });
  };
  const notFound = Response.json({ errors: [{ code: "resource_not_found" }] }, { status: 404 });
  if (url.pathname === "/v1/organization_memberships") return page(memberships);
  if (url.pathname === "/v1/organizations") return page(organizations);
  const [, id = "", rest] = /^\/v1\/organizations\/([^/]+)(\/memberships)?$/.exec(url.pathname) ?? [];
  const organization = organizations.find((candidate) => candidate.id === decodeURIComponent(id));
  if (organization === undefined && rest === undefined && options.stillThere?.includes(id))
    return Response.json(fakeClerkOrganization({ id }));
  if (organization === undefined) return notFound;
  if (rest === undefined) return Response.json(organization);
  const users = params.getAll("user_id");
  const ofOrg = [...memberships, ...(options.unlisted ?? [])].filter(
    (membership) => membership.organization.id === organization.id,
  );
  if (options.membershipLookup === "ignores-filter") return page(ofOrg);
  return page(ofOrg.filter((membership) => users.includes(membership.public_user_data.user_id)));
}

/** Clerk's 422 for a list request its specification refuses, or undefined for one it allows. */
function listRefusal(request: ListRequest): Response | undefined {
  const refuse = (message: string) =>
    Response.json(
      { errors: [{ message: "is invalid", long_message: message, code: "form_param_value_invalid" }] },
      { status: 422 },
    );
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 500)
    return refuse("limit must be between 1 and 500");
  if (request.offset !== null && !(Number.isInteger(request.offset) && request.offset >= 0))
    return refuse("offset must be 0 or more");
  if (request.startingAfter !== null) {
    if (!["created_at", "+created_at", "-created_at", null].includes(request.orderBy))
      return refuse("starting_after needs a created_at ordering");
    if ((request.offset ?? 0) !== 0) return refuse("starting_after cannot be combined with offset");
  }
  return undefined;
}

/** Clerk's Backend API, holding `users` (tests may change the array while a run is under way). */
function fakeClerkApi(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  const requests: (ListRequest & { at: number; authorization: string | null; path: string })[] = [];
  /** Requests to the organization endpoints, as path and query. */
  const orgRequests: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.href === `${ISSUER}/.well-known/jwks.json`) return Response.json(JWKS);
    if (url.href === "https://api.clerk.com/v1/jwks") return Response.json(options.keyJwks ?? JWKS);
    const notFound = () =>
      Response.json(
        {
          errors: [{ message: "not found", long_message: "Resource not found", code: "resource_not_found" }],
        },
        { status: 404 },
      );
    if (url.origin === "https://api.clerk.com" && url.pathname.startsWith("/v1/organization")) {
      orgRequests.push(`${url.pathname}${url.search}`);
      return fakeOrganizationsApi(url, options);
    }
    if (url.origin !== "https://api.clerk.com" || !url.pathname.startsWith("/v1/users")) return notFound();
    const request: ListRequest = {
      offset: url.searchParams.has("offset") ? Number(url.searchParams.get("offset")) : null,
      startingAfter: url.searchParams.get("starting_after"),
      limit: Number(url.searchParams.get("limit") ?? 10),
      orderBy: url.searchParams.get("order_by"),
    };
    requests.push({
      ...request,
      path: url.pathname,
      at: Date.now(),
      authorization: new Headers(init?.headers).get("authorization"),
    });
    await options.beforeAnswer?.(request, requests.length);
    if (options.rateLimit?.(request)) {
      return Response.json(
        { errors: [{ message: "Too many requests", code: "too_many_requests" }] },
        { status: 429, headers: { "retry-after": options.retryAfter ?? "7" } },
      );
    }
    const one = /^\/v1\/users\/([^/]+)$/.exec(url.pathname);
    if (one !== null) {
      const id = decodeURIComponent(one[1] ?? "");
      const user = users.find((candidate) => candidate.id === id);
      if (user !== undefined) return Response.json(user);
      if (options.stillThere?.includes(id)) return Response.json(fakeClerkUser({ id }));
      return notFound();
    }
    if (url.pathname !== "/v1/users") return notFound();
    const refused = listRefusal(request);
    if (refused !== undefined) return refused;
    // `order_by` without a sign means ascending; the default is `-created_at`.
    const descending = (request.orderBy ?? "-created_at") === "-created_at";
    const sorted = [...users]
      .sort((a, b) => (descending ? b.created_at - a.created_at : a.created_at - b.created_at))
      .slice(0, options.endsAfter);
    const limit = Math.min(request.limit, options.maxLimit ?? 500);
    const offset = request.offset ?? 0;
    const cursor = request.startingAfter;
    if (cursor === null || options.ignoreCursor) return Response.json(sorted.slice(offset, offset + limit));
    if (offset !== 0 || !/^[+-]?created_at$/.test(request.orderBy ?? "created_at")) {
      return Response.json({ errors: [{ code: "form_param_value_invalid" }] }, { status: 422 });
    }
    // Clerk's specification does not say what a cursor whose user was deleted answers: the fake answers the
    // worst plausible thing, an empty page, which looks like the end of the list.
    const at = sorted.findIndex((user) => user.id === cursor);
    return Response.json(at === -1 ? [] : sorted.slice(at + 1, at + 1 + limit));
  };
  return { fetch, requests, orgRequests };
}

function stubClerk(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  vi.stubEnv("CLERK_SECRET_KEY", SECRET_KEY);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
  const clerk = fakeClerkApi(users, options);
  vi.stubGlobal("fetch", clerk.fetch);
  return clerk;
}

type SyncArgs = { dryRun?: boolean; allowMassDelete?: boolean; maxPages?: number; daily?: boolean };

/** Starts a run as `pnpm sync:clerk` does and runs its scheduled steps; returns the run's record. */
async function sync(t: TestConvex, args: SyncArgs = {}) {
  const { runId } = await t.action(internal.clerk.sync.run, args);
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return runId === null ? null : await t.query(internal.clerk.sync.status, { runId });
}

/** Users already here before the run, as webhooks would have left them a while ago. */
async function seed(t: TestConvex, users: FakeClerkUser[]) {
  for (const user of users) {
    await t.mutation(internal.clerk.users.upsertFromClerk, {
      user: {
        clerkId: user.id,
        name: `${user.first_name} ${user.last_name}`,
        clerkUpdatedAt: user.updated_at,
      },
    });
  }
  vi.advanceTimersByTime(RECENT_MS + 1000);
}

const summary = (logs: string[]) => logs.find((line) => line.startsWith("sync:clerk: done")) ?? "";
const storedIds = (t: TestConvex) =>
  t.run(async (ctx) => (await ctx.db.query("users").collect()).map((user) => user.clerkId).sort());

beforeEach(() => {
  // `performance` stays real so the throughput printed below is wall-clock time.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  vi.setSystemTime(BASE_TIME + 10_000_000);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("sync:clerk imports and updates", () => {
  // The one test at Clerk's full page size: about 1 s idle, so it says its timeout.
  it("imports every Clerk user across several pages, oldest first, with the secret key", {
    timeout: 20_000,
  }, async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(PAGE_SIZE * 2 + 100);
    const clerk = stubClerk(users);
    const started = performance.now();
    await sync(t);
    const seconds = (performance.now() - started) / 1000;

    expect(await storedIds(t)).toEqual(users.map((user) => user.id).sort());
    expect(await userByClerkId(t, users[42]?.id ?? "")).toMatchObject({
      name: "User42 Lovelace",
      email: "user42@example.com",
      clerkUpdatedAt: BASE_TIME + 42_000 + 500,
    });
    const listRequests = clerk.requests.filter((request) => request.path === "/v1/users");
    expect(listRequests.map((request) => [request.orderBy, request.limit])).toEqual(
      listRequests.map(() => ["+created_at", PAGE_SIZE]),
    );
    // By cursor, never by offset: each request starts after the last user of the one before.
    expect(listRequests.map((request) => [request.offset, request.startingAfter])).toEqual([
      [null, null],
      [null, users[PAGE_SIZE - 1]?.id],
      [null, users[2 * PAGE_SIZE - 1]?.id],
      [null, users.at(-1)?.id],
    ]);
    expect(new Set(clerk.requests.map((request) => request.authorization))).toEqual(
      new Set([`Bearer ${SECRET_KEY}`]),
    );
    expect(summary(logs)).toContain(`${users.length} created, 0 updated, 0 deleted, 0 unchanged`);
    expect(logs.join("\n")).not.toContain(SECRET_KEY);
    console.info(`sync:clerk through the fake: ${users.length} users in ${seconds.toFixed(2)} s`);
  });

  it("changes nothing when run a second time", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(120);
    stubClerk(users, { maxLimit: 100 });
    await sync(t);
    const before = await t.run((ctx) => ctx.db.query("users").collect());
    logs.length = 0;
    vi.advanceTimersByTime(RECENT_MS + 1000);
    await sync(t);
    expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual(before);
    expect(summary(logs)).toContain(`0 created, 0 updated, 0 deleted, ${users.length} unchanged`);
  });

  it("applies a change that a webhook missed, and keeps a newer version a webhook stored meanwhile", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(3);
    const [renamed, raced] = users as [FakeClerkUser, FakeClerkUser];
    await seed(t, users);
    renamed.first_name = "Renamed";
    renamed.updated_at += 60_000;
    const newer = fakeClerkUser({ id: raced.id, firstName: "Newest", updatedAt: raced.updated_at + 120_000 });
    stubClerk(users, {
      // The webhook for a later change lands while Clerk's (older) page is on its way.
      beforeAnswer: async (_request, count) => {
        if (count === 1) await deliver(t, fakeUserEvent("user.updated", newer));
      },
    });
    await sync(t);
    expect((await userByClerkId(t, renamed.id))?.name).toBe("Renamed Lovelace");
    expect(await userByClerkId(t, raced.id)).toMatchObject({
      name: "Newest Lovelace",
      clerkUpdatedAt: newer.updated_at,
    });
  });

  it("replaces a row made from a token, and leaves the fields the app added", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", TEST_SECRET);
    const appSchema = schemaWithUserFields({ bio: v.optional(v.string()) });
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", TEST_ISSUER);
    const t = withComponents(convexTest({ schema: appSchema, modules }));
    captureLogs();
    const [user] = clerkUsers(1) as [FakeClerkUser];
    await t.withIdentity({ subject: user.id }).mutation(api.users.ensureFromToken, {});
    await t.run(async (ctx) => {
      const row = await ctx.db.query("users").first();
      if (row !== null) await ctx.db.patch("users", row._id, { bio: "kept" });
    });
    vi.advanceTimersByTime(RECENT_MS + 1000);
    stubClerk([user]);
    await sync(t as unknown as TestConvex);
    expect(await t.run((ctx) => ctx.db.query("users").first())).toMatchObject({
      name: "User0 Lovelace",
      clerkUpdatedAt: user.updated_at,
      bio: "kept",
    });
  });

  it("counts a user whose JSON does not parse as unreadable and imports the rest", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(3);
    (users[1] as unknown as { updated_at: string }).updated_at = "yesterday";
    stubClerk(users);
    await sync(t);
    expect((await countDocuments(t)).users).toBe(2);
    expect(summary(logs)).toContain("1 unreadable");
  });
});

describe("sync:clerk deletes", () => {
  it("removes a user Clerk no longer has through the webhook's deletion, and keeps the tombstone", async () => {
    const t = setupTest();
    captureLogs();
    const [gone, kept] = clerkUsers(2) as [FakeClerkUser, FakeClerkUser];
    await seed(t, [gone, kept]);
    stubClerk([kept]);
    await sync(t);
    expect(await storedIds(t)).toEqual([kept.id]);
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 1 });
    // The tombstone holds: a late webhook for the deleted user changes nothing.
    expect(
      await (
        await deliver(t, fakeUserEvent("user.updated", { ...gone, updated_at: gone.updated_at + 1 }))
      ).text(),
    ).toBe("deleted_user");
  });

  it("leaves a row written in the last minute for the next run", async () => {
    const t = setupTest();
    captureLogs();
    const [fresh] = clerkUsers(1) as [FakeClerkUser];
    await t.withIdentity({ subject: fresh.id }).mutation(api.users.ensureFromToken, {});
    stubClerk([]);
    await sync(t);
    expect(await storedIds(t)).toEqual([fresh.id]);
  });

  // 300 users through several pages: about 0.5 s idle, 2.6 s on a loaded machine, so it says its timeout.
  it("misses no one when users are created and deleted in Clerk during the run", async () => {
    const t = setupTest();
    const logs = captureLogs();
    // Clerk caps pages at 100 here, so 300 users take several pages.
    const users = clerkUsers(300);
    const [listedThenDeleted, deletedBeforeListed] = [users[5], users[150]] as [FakeClerkUser, FakeClerkUser];
    await seed(t, [...users.slice(0, 10), deletedBeforeListed]);
    // Before the second page: users already read vanish, among them the one its cursor names, two seeded users
    // are deleted (one this run has listed, one it has not), someone signs up, and someone is imported with an
    // earlier sign-up date (Clerk's `created_at` may be set), where the list has passed: the webhook brings them.
    const deletedEarly = [...users.slice(10, 10 + OVERLAP + 11), users[99]].map((user) => user?.id);
    const newcomer = clerkUsers(1, 300)[0] as FakeClerkUser;
    const imported = fakeClerkUser({ id: fakeClerkId("user", "imported"), createdAt: BASE_TIME - 1000 });
    let changed = false;
    stubClerk(users, {
      maxLimit: 100,
      beforeAnswer: async (request) => {
        if (!changed && request.startingAfter !== null) {
          changed = true;
          for (const id of [...deletedEarly, listedThenDeleted.id, deletedBeforeListed.id]) {
            users.splice(
              users.findIndex((user) => user.id === id),
              1,
            );
          }
          users.push(newcomer, imported);
          await deliver(t, fakeUserEvent("user.created", imported));
        }
      },
    });
    // The seeded user deleted before the run listed them is confirmed gone and deleted; the run goes on to the
    // end. The one deleted after the run listed them is left for the next run, as a change after any read is.
    expect((await sync(t))?.status).toBe("done");
    expect(logs.some((line) => line.includes(`${deletedEarly.at(-1)} was deleted meanwhile`))).toBe(true);
    expect(await storedIds(t)).toEqual(
      expect.arrayContaining([...users.map((user) => user.id), listedThenDeleted.id]),
    );
    expect(await userByClerkId(t, deletedBeforeListed.id)).toBeNull();
    // The next run confirms each user Clerk deleted is gone and deletes it, the ones the first run imported
    // too (62 of about 300 rows, over the 10% that needs a yes).
    vi.advanceTimersByTime(RECENT_MS + 1000);
    expect((await sync(t, { allowMassDelete: true }))?.status).toBe("done");
    expect(await storedIds(t)).toEqual(users.map((user) => user.id).sort());
  }, 15_000);

  it("completes a run in which a user it listed is deleted before the run ends, and the next run deletes them", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(3);
    const [, deletedMidRun, last] = users as [FakeClerkUser, FakeClerkUser, FakeClerkUser];
    await seed(t, users);
    const clerk = stubClerk(users, {
      beforeAnswer: (request) => {
        // The import has listed everyone; the account goes before the list's last (empty) page is answered.
        const i = users.findIndex((user) => user.id === deletedMidRun.id);
        if (request.startingAfter === last.id && i !== -1) users.splice(i, 1);
      },
    });
    expect((await sync(t))?.status).toBe("done");
    expect(await countDocuments(t)).toEqual({ users: 3, deletedUsers: 0 });
    logs.length = 0;
    vi.advanceTimersByTime(RECENT_MS + 1000);
    expect((await sync(t))?.status).toBe("done");
    expect(await storedIds(t)).toEqual(users.map((user) => user.id).sort());
    expect(await countDocuments(t)).toEqual({ users: 2, deletedUsers: 1 });
    // Deleted on Clerk's word about that one id, as any other deletion.
    expect(clerk.requests.map((request) => request.path)).toContain(`/v1/users/${deletedMidRun.id}`);
    expect(summary(logs)).toContain("0 created, 0 updated, 1 deleted");
  });
});

describe("sync:clerk never deletes on an answer it did not ask for", () => {
  it("stops, deleting no one, when Clerk's list ends early and a user it left out still exists", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(20);
    await seed(t, users);
    // An empty page after 15 users: 5 of 20 left out, under the mass-delete guard's count.
    const clerk = stubClerk(users, { endsAfter: 15 });
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    // Asked about the first id left out, Clerk finds it: the list is not believed, and no one else is asked.
    expect(run?.message).toContain(
      `Clerk's list left out ${users[15]?.id}, but GET /v1/users/${users[15]?.id} does not say it is gone`,
    );
    const asked = clerk.requests.filter((r) => r.path.startsWith("/v1/users/")).map((r) => r.path);
    expect(asked).toEqual([`/v1/users/${users[14]?.id}`, `/v1/users/${users[15]?.id}`]);
    expect(await countDocuments(t)).toEqual({ users: 20, deletedUsers: 0 });
    expect(logs.some((line) => line.startsWith("sync:clerk: done"))).toBe(false);
  });

  it("confirms each deletion with GET /v1/users/{id} and stops when Clerk still has the user", async () => {
    const t = setupTest();
    captureLogs();
    const [gone, stillThere, kept] = clerkUsers(3) as [FakeClerkUser, FakeClerkUser, FakeClerkUser];
    await seed(t, [gone, stillThere, kept]);
    // The list leaves `stillThere` out, but asked about that one id, Clerk finds it.
    const clerk = stubClerk([kept], { stillThere: [stillThere.id] });
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain(`GET /v1/users/${stillThere.id} does not say it is gone`);
    expect(await storedIds(t)).toEqual([gone.id, stillThere.id, kept.id].sort());
    expect(clerk.requests.some((request) => request.path === `/v1/users/${gone.id}`)).toBe(true);
  });

  it("deletes only ids Clerk answers 404 for, one request per id", async () => {
    const t = setupTest();
    captureLogs();
    const [gone, kept] = clerkUsers(2) as [FakeClerkUser, FakeClerkUser];
    await seed(t, [gone, kept]);
    const clerk = stubClerk([kept]);
    expect((await sync(t))?.status).toBe("done");
    // The first asks whether the list's last user still exists (so the empty page after it is the end).
    expect(
      clerk.requests.filter((request) => request.path.startsWith("/v1/users/")).map((r) => r.path),
    ).toEqual([`/v1/users/${kept.id}`, `/v1/users/${gone.id}`]);
  });

  it("stops before deleting more than 10% of the rows (and more than 10) without --allow-mass-delete", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(100);
    await seed(t, users);
    const remaining = users.slice(11); // 11 of 100 gone: over 10% and over 10
    stubClerk(remaining);
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain("11 of 100 users are gone from Clerk's list");
    expect(run?.message).toContain("--allow-mass-delete");
    expect(await countDocuments(t)).toEqual({ users: 100, deletedUsers: 0 });

    vi.advanceTimersByTime(RECENT_MS + 1000);
    expect((await sync(t, { allowMassDelete: true }))?.status).toBe("done");
    expect(await countDocuments(t)).toEqual({ users: 89, deletedUsers: 11 });
  });

  it("deletes up to 10 rows without asking, even when that is more than 10%", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(20);
    await seed(t, users);
    stubClerk(users.slice(10));
    expect((await sync(t))?.status).toBe("done");
    expect(await countDocuments(t)).toEqual({ users: 10, deletedUsers: 10 });
  });

  it("batches the deletions: a few transactions, not one per user", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(40);
    await seed(t, users);
    stubClerk([]);
    const spy = vi.spyOn(console, "log");
    expect((await sync(t, { allowMassDelete: true }))?.status).toBe("done");
    expect((await countDocuments(t)).users).toBe(0);
    const lines = spy.mock.calls
      .map((call) => String(call[0]))
      .filter((line) => line.endsWith("left to delete"));
    expect(lines).toEqual([
      "sync:clerk: users: 16 deleted, 24 left to delete",
      "sync:clerk: users: 16 deleted, 8 left to delete",
      "sync:clerk: users: 8 deleted, 0 left to delete",
    ]);
  });
});

/** The longest array anywhere in a value: Convex refuses more than 8,192 elements in arguments and documents. */
function longestArray(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
  if (value !== null && typeof value === "object")
    return Math.max(0, ...Object.values(value).map(longestArray));
  return 0;
}

describe("sync:clerk with more rows gone than one Convex value can list", () => {
  // 8,300 rows written and scanned: about 1 s idle, so it says its timeout.
  it("ends at the mass-delete guard with its message when 8,300 users are gone, no step carrying a list over 8,192", {
    timeout: 60_000,
  }, async () => {
    const t = setupTest();
    captureLogs();
    const gone = 8_300;
    await t.run(async (ctx) => {
      for (let i = 0; i < gone; i++) {
        const clerkId = fakeClerkId("user", `gone-${i}`);
        await ctx.db.insert("users", userRow({ clerkId, name: "Gone", clerkUpdatedAt: BASE_TIME }));
      }
    });
    vi.advanceTimersByTime(RECENT_MS + 1000);
    stubClerk([]);
    const { runId } = await t.action(internal.clerk.sync.run, {});
    // convex-test does not enforce the limit: every step's arguments and every document are measured here.
    await t.finishAllScheduledFunctions(vi.runAllTimers, 1_000);
    const scheduled = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    // The scan goes in steps of a bounded page, not in one.
    expect(scheduled.length).toBeGreaterThan(gone / 1000);
    expect(Math.max(...scheduled.map((job) => longestArray(job.args)))).toBeLessThanOrEqual(8_192);
    const documents = await t.run(async (ctx) => [
      ...(await ctx.db.query("syncRuns").collect()),
      ...(await ctx.db.query("syncUnlisted").collect()),
    ]);
    expect(Math.max(...documents.map(longestArray))).toBeLessThanOrEqual(8_192);
    const run = runId === null ? null : await t.query(internal.clerk.sync.status, { runId });
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain(`${gone} of ${gone} users are gone from Clerk's list`);
    expect(run?.message).toContain("--allow-mass-delete");
    expect(await countDocuments(t)).toEqual({ users: gone, deletedUsers: 0 });
    // The ids waited in a table, which the run's end cleared.
    expect(await t.run(async (ctx) => (await ctx.db.query("syncUnlisted").collect()).length)).toBe(0);
  });
});

describe("sync:clerk and a Clerk that does not answer", () => {
  it("abandons a request after 30 s without an answer and retries it, as any failed request", {
    timeout: 10_000,
  }, async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(3);
    const clerk = stubClerk(users);
    let hung = 0;
    vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).pathname === "/v1/users" && hung++ === 0) {
        // Never answers: only the request's own signal ends it.
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        });
      }
      return clerk.fetch(input, init);
    });
    expect((await sync(t))?.status).toBe("done");
    expect(logs).toContainEqual(
      expect.stringContaining(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s); retrying in 10s`),
    );
    expect((await countDocuments(t)).users).toBe(3);
  });
});

describe("sync:clerk reads Clerk's list to its end, and no further", () => {
  it("does not take a page shorter than asked for the end (Clerk may cap the page size)", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(250);
    const clerk = stubClerk(users, { maxLimit: 100 });
    expect((await sync(t))?.status).toBe("done");
    expect((await countDocuments(t)).users).toBe(250);
    // It stops on an empty page.
    const lists = clerk.requests.filter((request) => request.path === "/v1/users");
    expect(lists).toHaveLength(4);
    expect(lists.at(-1)).toMatchObject({ startingAfter: users[249]?.id });
  });

  it("stops, deleting nothing, when the list ignores starting_after (answers its first page every time)", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(120);
    await seed(t, users.slice(0, 5));
    const clerk = stubClerk(users, { maxLimit: 100, ignoreCursor: true });
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain("its list may ignore `starting_after`");
    expect(clerk.requests.length).toBeLessThan(10);
    expect((await countDocuments(t)).deletedUsers).toBe(0);
    expect(logs.some((line) => line.startsWith("sync:clerk: done"))).toBe(false);
    // Nothing left scheduled: the run does not go on by itself.
    const pending = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter(
        (job) => job.state.kind === "pending",
      ),
    );
    expect(pending).toEqual([]);
  });

  it("stops at its page cap and says what the cap covers", async () => {
    const t = setupTest();
    captureLogs();
    const clerk = stubClerk(clerkUsers(250), { maxLimit: 50 });
    const run = await sync(t, { maxPages: 3 });
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain("stopped after reading 3 pages of Clerk's lists");
    expect(run?.message).toContain(`MAX_PAGES in convex/clerk/sync.ts: ${MAX_PAGES * PAGE_SIZE} users`);
    expect(clerk.requests.filter((request) => request.path === "/v1/users")).toHaveLength(3);
    expect((await countDocuments(t)).deletedUsers).toBe(0);
  });

  it("counts only Clerk's list pages against the cap: the prune and the deletions, however long, finish", async () => {
    const t = setupTest();
    captureLogs();
    const users = clerkUsers(250);
    await seed(t, users);
    stubClerk(users.slice(0, 240), { maxLimit: 100 });
    // Four pages of users (the last one empty) and one of organizations; a scan step and a confirming one.
    const run = await sync(t, { maxPages: 5 });
    expect(run?.status).toBe("done");
    expect(await countDocuments(t)).toEqual({ users: 240, deletedUsers: 10 });
  });

  it("has a page cap that covers the 5 million users it is sized for, with room for their organizations", () => {
    // Only list pages count (the prune walks our own tables): 5 million users at Clerk's page size.
    expect(MAX_PAGES * PAGE_SIZE).toBeGreaterThanOrEqual(5_000_000 * 2);
  });
});

describe("sync:clerk dry run", () => {
  it("reports what it would change and writes nothing", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const [gone, ...rest] = clerkUsers(4) as [FakeClerkUser, ...FakeClerkUser[]];
    await seed(t, [gone]);
    const before = await countDocuments(t);
    stubClerk(rest);
    await sync(t, { dryRun: true });
    expect(await countDocuments(t)).toEqual(before);
    expect(summary(logs)).toContain("dry run: nothing was written");
    expect(summary(logs)).toContain("3 created, 0 updated, 1 deleted");
  });
});

describe("sync:clerk with a secret key from another Clerk instance", () => {
  it("stops before reading or writing anything, and says which key to set", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const [mine] = clerkUsers(1) as [FakeClerkUser];
    await seed(t, [mine]);
    const before = await t.run((ctx) => ctx.db.query("users").collect());
    const otherInstance = { keys: [{ ...JWKS.keys[0], kid: "ins_2bOtherInstanceKey" }] } as typeof JWKS;
    // That instance's users: none of them is ours.
    const clerk = stubClerk(clerkUsers(3, 100), { keyJwks: otherInstance });
    await expect(t.action(internal.clerk.sync.run, {})).rejects.toThrow(
      "CLERK_SECRET_KEY belongs to another Clerk instance",
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(clerk.requests).toEqual([]);
    expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual(before);
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    expect(logs.some((line) => line.startsWith("sync:clerk: done"))).toBe(false);
  });
});

describe("sync:clerk and Clerk's rate limit", () => {
  it("waits for Retry-After on a 429 mid-way and carries on", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(110);
    let limited = 0;
    const clerk = stubClerk(users, {
      maxLimit: 100,
      rateLimit: (request) => request.startingAfter !== null && limited++ < 2,
      retryAfter: "7",
    });
    await sync(t);
    expect((await countDocuments(t)).users).toBe(users.length);
    const second = clerk.requests.filter((request) => request.startingAfter !== null).slice(0, 3);
    const cursor = users[99]?.id ?? null;
    expect(second.map((request) => request.startingAfter)).toEqual([cursor, cursor, cursor]);
    expect((second[1]?.at ?? 0) - (second[0]?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    expect(logs.filter((line) => line.includes("rate limit"))).toHaveLength(2);
  });

  it("waits at most 10 minutes, whatever Retry-After asks (a year, here)", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(5);
    let limited = 0;
    const clerk = stubClerk(users, { rateLimit: () => limited++ < 1, retryAfter: "31536000" });
    expect((await sync(t))?.status).toBe("done");
    expect(logs.some((line) => line.includes("retrying in 600s"))).toBe(true);
    const [limitedAt, retriedAt] = clerk.requests.map((request) => request.at);
    expect((retriedAt ?? 0) - (limitedAt ?? 0)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("gives up with a clear message after repeated failures, keeping what it imported", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(110);
    stubClerk(users, {
      maxLimit: 100,
      rateLimit: (request) => request.startingAfter !== null,
    });
    await sync(t);
    const failed = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter(
        (job) => job.state.kind === "failed",
      ),
    );
    expect(failed).toHaveLength(1);
    expect(logs.at(-1)).toContain(`gave up after ${MAX_RETRIES + 1} failed attempts in a row at one step`);
    expect(logs.at(-1)).toContain("run `pnpm sync:clerk` again later");
    expect((await countDocuments(t)).users).toBe(100);
  });

  it("stops at once on a rejected key and says which variable to fix", async () => {
    const t = setupTest();
    captureLogs();
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_revoked");
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
    vi.stubGlobal("fetch", async () => Response.json({ errors: [] }, { status: 401 }));
    await expect(t.action(internal.clerk.sync.run, {})).rejects.toThrow("CLERK_SECRET_KEY");
  });
});

describe("the daily cron", () => {
  it("is scheduled daily and calls sync:clerk", () => {
    const job = Object.values(crons.crons)[0];
    expect(job?.schedule).toMatchObject({ type: "daily" });
    expect(job?.name).toBe("clerk/sync:run");
    expect(job?.args).toEqual([{ daily: true }]);
  });

  it("does nothing but log one line when CLERK_SECRET_KEY is not set", async () => {
    const t = setupTest();
    const logs = captureLogs();
    vi.stubEnv("CLERK_SECRET_KEY", undefined);
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    expect(await t.action(internal.clerk.sync.run, {})).toEqual({ status: "not_configured", runId: null });
    expect(fetch).not.toHaveBeenCalled();
    expect(logs).toEqual([expect.stringContaining("CLERK_SECRET_KEY is not set")]);
  });

  it("logs an error with the counts and the fix when it had to repair what the webhook missed", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const [missed, ...delivered] = clerkUsers(3) as [FakeClerkUser, ...FakeClerkUser[]];
    await seed(t, delivered);
    stubClerk([missed, ...delivered]);
    expect((await sync(t, { daily: true }))?.status).toBe("done");
    const alarm = logs.filter((line) => line.startsWith("sync:clerk: ERROR"));
    expect(alarm).toHaveLength(1);
    expect(alarm[0]).toContain(
      "repaired 1 rows a webhook should have written (1 created, 0 updated, 0 deleted)",
    );
    expect(alarm[0]).toContain("Clerk dashboard → Webhooks");
    expect(vi.mocked(console.error)).toHaveBeenCalledWith(alarm[0]);
  });

  it("logs no error when the webhook did all the work", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(2);
    await seed(t, users);
    stubClerk(users);
    expect((await sync(t, { daily: true }))?.status).toBe("done");
    expect(logs.filter((line) => line.includes("ERROR"))).toEqual([]);
  });

  it("runs the whole sync when the key is set", async () => {
    const t = setupTest();
    captureLogs();
    stubClerk(clerkUsers(3));
    expect((await t.action(internal.clerk.sync.run, {})).status).toBe("running");
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await countDocuments(t)).users).toBe(3);
  });
});

const ACME = fakeClerkId("org", "acme");
const GLOBEX = fakeClerkId("org", "globex");
const ADA = fakeClerkId("user", "clerk-0");
const GRACE = fakeClerkId("user", "clerk-1");

const clerkOrganization = (id: string, n = 0) =>
  fakeClerkOrganization({ id, name: `Org ${n}`, createdAt: BASE_TIME + n, updatedAt: BASE_TIME + n });
const clerkMembership = (organization: FakeClerkOrganization, userId: string, n = 0) =>
  fakeClerkMembership({ organization, userId, createdAt: BASE_TIME + n, updatedAt: BASE_TIME + n });

/** A membership as the webhook's mutation takes it (the fields `memberships` keeps). */
const membershipFields = (organization: FakeClerkOrganization, userId: string, n = 0) => ({
  clerkOrgId: organization.id,
  clerkUserId: userId,
  role: "org:member",
  clerkCreatedAt: BASE_TIME + n,
  clerkUpdatedAt: BASE_TIME + n,
});

/** Organizations and memberships already here before the run, as webhooks left them. */
async function seedMemberships(t: TestConvex, memberships: FakeClerkMembership[]) {
  for (const json of memberships) {
    const { organization } = json;
    await t.mutation(internal.clerk.orgs.applyMembershipFromClerk, {
      deleted: false,
      membership: {
        clerkOrgId: organization.id,
        clerkUserId: json.public_user_data.user_id,
        role: json.role,
        clerkCreatedAt: json.created_at,
        clerkUpdatedAt: json.updated_at,
      },
      organization: {
        clerkOrgId: organization.id,
        name: organization.name,
        slug: organization.slug ?? "",
        clerkUpdatedAt: organization.updated_at,
      },
    });
  }
  vi.advanceTimersByTime(RECENT_MS + 1000);
}

const orgState = (t: TestConvex) =>
  t.run(async (ctx) => ({
    organizations: (await ctx.db.query("organizations").collect()).map((row) => row.clerkOrgId).sort(),
    memberships: (await ctx.db.query("memberships").collect())
      .map((row) => `${row.clerkOrgId}/${row.clerkUserId}`)
      .sort(),
    deletedOrganizations: (await ctx.db.query("deletedOrganizations").collect()).map((row) => row.clerkOrgId),
    deletedMemberships: (await ctx.db.query("deletedMemberships").collect()).map(
      (row) => `${row.clerkOrgId}/${row.clerkUserId}`,
    ),
  }));

describe("sync:clerk and organizations", () => {
  it("on an instance without organizations (403 organization_not_enabled_in_instance) ends after the users, as before, touching no organization row", async () => {
    const t = setupTest();
    const logs = captureLogs();
    await seedMemberships(t, [clerkMembership(clerkOrganization(ACME), ADA)]);
    const before = await orgState(t);
    const clerk = stubClerk(clerkUsers(2));
    expect((await sync(t))?.status).toBe("done");
    expect(await orgState(t)).toEqual(before);
    expect(clerk.orgRequests).toEqual(["/v1/organizations?order_by=%2Bcreated_at&offset=0&limit=500"]);
    expect(summary(logs)).toContain("2 created, 0 updated, 0 deleted");
  });

  it("imports organizations and memberships from Clerk's instance-wide lists, oldest first, through the webhook's rules", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const acme = clerkOrganization(ACME, 1);
    const globex = clerkOrganization(GLOBEX, 2);
    const memberships = [
      clerkMembership(acme, ADA, 3),
      clerkMembership(acme, GRACE, 4),
      clerkMembership(globex, ADA, 5),
    ];
    const clerk = stubClerk(clerkUsers(2), { organizations: [globex, acme], memberships });
    expect((await sync(t))?.status).toBe("done");
    expect(await orgState(t)).toMatchObject({
      organizations: [ACME, GLOBEX].sort(),
      memberships: [`${ACME}/${ADA}`, `${ACME}/${GRACE}`, `${GLOBEX}/${ADA}`].sort(),
    });
    const lists = clerk.orgRequests.filter((request) => request.includes("offset="));
    expect(new Set(lists.map((request) => request.split("?")[0]))).toEqual(
      new Set(["/v1/organizations", "/v1/organization_memberships"]),
    );
    for (const request of lists) expect(request).toMatch(/\?order_by=%2Bcreated_at&offset=\d+&limit=500$/);
    expect(summary(logs)).toContain("7 created, 0 updated, 0 deleted");
    logs.length = 0;
    vi.advanceTimersByTime(RECENT_MS + 1000);
    expect((await sync(t))?.status).toBe("done");
    expect(summary(logs)).toContain("0 created, 0 updated, 0 deleted, 7 unchanged");
  });

  it("misses no organization when earlier ones are deleted during the run, though their offsets shift", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const organizations = Array.from({ length: 130 }, (_, i) =>
      clerkOrganization(fakeClerkId("org", `o${i}`), i),
    );
    let deleted = false;
    stubClerk([], {
      organizations,
      memberships: [],
      maxLimit: 100,
      beforeOrgAnswer: (url) => {
        // Before the second page: more organizations before it go than the overlap covers.
        if (!deleted && url.pathname === "/v1/organizations" && url.searchParams.get("offset") !== "0") {
          deleted = true;
          organizations.splice(0, OVERLAP + 10);
        }
      },
    });
    expect((await sync(t))?.status).toBe("done");
    expect(logs.some((line) => line.includes("Clerk's list moved"))).toBe(true);
    expect((await orgState(t)).organizations).toEqual(
      expect.arrayContaining(organizations.map((organization) => organization.id)),
    );
  });

  it("stops, deleting nothing, when the organization list ignores offset", async () => {
    const t = setupTest();
    captureLogs();
    const organizations = Array.from({ length: 120 }, (_, i) =>
      clerkOrganization(fakeClerkId("org", `o${i}`), i),
    );
    await seedMemberships(t, [clerkMembership(organizations[0] as FakeClerkOrganization, ADA)]);
    stubClerk([], { organizations, memberships: [], maxLimit: 50, ignoreOrgOffset: true });
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain("its list may ignore `offset`");
    expect((await orgState(t)).deletedOrganizations).toEqual([]);
  });

  it("deletes an organization only on a 404 for its id, and a membership only when its organization lists none for that user", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    const globex = clerkOrganization(GLOBEX, 2);
    await seedMemberships(t, [
      clerkMembership(acme, ADA, 3),
      clerkMembership(acme, GRACE, 4),
      clerkMembership(globex, ADA, 5),
    ]);
    const clerk = stubClerk(clerkUsers(2), {
      organizations: [acme],
      memberships: [clerkMembership(acme, ADA, 3)],
    });
    expect((await sync(t))?.status).toBe("done");
    expect(await orgState(t)).toEqual({
      organizations: [ACME],
      memberships: [`${ACME}/${ADA}`],
      deletedOrganizations: [GLOBEX],
      deletedMemberships: [`${ACME}/${GRACE}`],
    });
    expect(clerk.orgRequests).toContain(`/v1/organizations/${GLOBEX}`);
    expect(clerk.orgRequests).toContain(`/v1/organizations/${ACME}/memberships?user_id=${GRACE}`);
  });

  it("spares a membership that a re-join made newer while the run was confirming the old one gone", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    await seedMemberships(t, [clerkMembership(acme, ADA, 3), clerkMembership(acme, GRACE, 4)]);
    const clerk = stubClerk(clerkUsers(2), {
      organizations: [acme],
      memberships: [clerkMembership(acme, ADA, 3)],
    });
    // Grace re-joins right after Clerk answered that her old membership is gone: a newer generation lands.
    const rejoined = { ...membershipFields(acme, GRACE, 9), role: "org:admin" };
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      const answer = await clerk.fetch(input, init);
      if (new URL(String(input)).pathname === `/v1/organizations/${ACME}/memberships`) {
        await t.mutation(internal.clerk.orgs.applyMembershipFromClerk, {
          deleted: false,
          membership: rejoined,
        });
      }
      return answer;
    });
    expect((await sync(t))?.status).toBe("done");
    const grace = await t.run((ctx) => membershipOf(ctx, ACME, GRACE));
    expect(grace).toMatchObject({ role: "org:admin", clerkCreatedAt: BASE_TIME + 9 });
    // Her new generation's later events still apply: no tombstone blocks it.
    const updated = { ...rejoined, role: "org:member", clerkUpdatedAt: BASE_TIME + 10 };
    expect(
      await t.mutation(internal.clerk.orgs.applyMembershipFromClerk, { deleted: false, membership: updated }),
    ).toBe("updated");
  });

  it("stops, deleting nothing, when the organization list leaves out one that still exists", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    await seedMemberships(t, [clerkMembership(acme, ADA, 3)]);
    stubClerk([], { organizations: [], memberships: [], stillThere: [ACME] });
    const run = await sync(t);
    expect(run?.status).toBe("stopped");
    expect(run?.message).toContain(`GET /v1/organizations/${ACME} does not say it is gone`);
    expect(await orgState(t)).toMatchObject({ organizations: [ACME], deletedOrganizations: [] });
  });

  it("stops, deleting nothing, when an organization's membership lookup answers another user's membership", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    await seedMemberships(t, [clerkMembership(acme, ADA, 3), clerkMembership(acme, GRACE, 4)]);
    stubClerk([], {
      organizations: [acme],
      memberships: [clerkMembership(acme, ADA, 3)],
      membershipLookup: "ignores-filter",
    });
    expect((await sync(t))?.status).toBe("stopped");
    expect((await orgState(t)).memberships).toEqual([`${ACME}/${ADA}`, `${ACME}/${GRACE}`].sort());
  });

  it("stops, deleting nothing, when an organization still lists a membership the instance-wide list left out", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    const grace = clerkMembership(acme, GRACE, 4);
    await seedMemberships(t, [clerkMembership(acme, ADA, 3), grace]);
    stubClerk([], { organizations: [acme], memberships: [clerkMembership(acme, ADA, 3)], unlisted: [grace] });
    expect((await sync(t))?.status).toBe("stopped");
    expect((await orgState(t)).memberships).toEqual([`${ACME}/${ADA}`, `${ACME}/${GRACE}`].sort());
  });

  it("asks for --allow-mass-delete before removing more than 10% (and 10) of the memberships, as for users", async () => {
    const t = setupTest();
    captureLogs();
    const acme = clerkOrganization(ACME, 1);
    const members = Array.from({ length: 12 }, (_, i) =>
      clerkMembership(acme, fakeClerkId("user", `m${i}`), i),
    );
    await seedMemberships(t, members);
    stubClerk([], { organizations: [acme], memberships: [] });
    expect((await sync(t))?.status).toBe("stopped");
    expect((await orgState(t)).memberships).toHaveLength(12);
    vi.advanceTimersByTime(RECENT_MS + 1000);
    expect((await sync(t, { allowMassDelete: true }))?.status).toBe("done");
    expect((await orgState(t)).memberships).toEqual([]);
  });

  it("in a dry run reports what it would change and writes nothing", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const acme = clerkOrganization(ACME, 1);
    stubClerk([], { organizations: [acme], memberships: [clerkMembership(acme, ADA, 3)] });
    expect((await sync(t, { dryRun: true }))?.status).toBe("done");
    expect(summary(logs)).toContain("2 created");
    expect(await orgState(t)).toEqual({
      organizations: [],
      memberships: [],
      deletedOrganizations: [],
      deletedMemberships: [],
    });
  });
});
