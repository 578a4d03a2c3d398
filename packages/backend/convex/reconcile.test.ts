/**
 * `pnpm sync:clerk` against Clerk's Backend API faked at the HTTP boundary: `GET /v1/users` answers a JSON
 * array of `UserJSON` for `limit`/`offset`/`order_by`, or for up to 100 repeated `user_id`s, and 429 with
 * Retry-After when rate-limited, as Clerk documents it.
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { convexTest } from "convex-test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "./_generated/api";
import { type FakeClerkUser, fakeClerkId, fakeClerkUser, fakeUserEvent } from "./clerk.fixtures";
import crons from "./crons";
import { MAX_RETRIES, OVERLAP, PAGE_SIZE, RECENT_MS } from "./reconcile";
import schema, { clerkUserFields } from "./schema";
import {
  captureLogs,
  countDocuments,
  deliver,
  modules,
  setupTest,
  TEST_SECRET,
  type TestConvex,
  userByClerkId,
} from "./webhook.testkit";

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

type ListRequest = { offset: number | null; limit: number; orderBy: string | null; userIds: string[] };

type FakeClerkOptions = {
  /** Runs before a request is answered: Clerk's data may change, a webhook may land. */
  beforeAnswer?: (request: ListRequest, count: number) => Promise<void> | void;
  /** Answer 429 with this Retry-After (seconds) when it returns true. */
  rateLimit?: (request: ListRequest) => boolean;
  retryAfter?: string;
  /** What `GET /v1/jwks` answers for the secret key: another instance's keys, for a wrong key. */
  keyJwks?: typeof JWKS;
};

/** Clerk's Backend API, holding `users` (tests may change the array while a run is under way). */
function fakeClerkApi(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  const requests: (ListRequest & { at: number; authorization: string | null })[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.href === `${ISSUER}/.well-known/jwks.json`) return Response.json(JWKS);
    if (url.href === "https://api.clerk.com/v1/jwks") return Response.json(options.keyJwks ?? JWKS);
    if (url.origin !== "https://api.clerk.com" || url.pathname !== "/v1/users") {
      return Response.json({ errors: [{ code: "resource_not_found" }] }, { status: 404 });
    }
    const request: ListRequest = {
      offset: url.searchParams.has("offset") ? Number(url.searchParams.get("offset")) : null,
      limit: Number(url.searchParams.get("limit") ?? 10),
      orderBy: url.searchParams.get("order_by"),
      userIds: url.searchParams.getAll("user_id"),
    };
    requests.push({
      ...request,
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
    const sorted = [...users].sort((a, b) =>
      request.orderBy === "-created_at" ? b.created_at - a.created_at : a.created_at - b.created_at,
    );
    const matching =
      request.userIds.length > 0 ? sorted.filter((user) => request.userIds.includes(user.id)) : sorted;
    const offset = request.offset ?? 0;
    return Response.json(matching.slice(offset, offset + request.limit));
  };
  return { fetch, requests };
}

function stubClerk(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  vi.stubEnv("CLERK_SECRET_KEY", SECRET_KEY);
  vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
  const clerk = fakeClerkApi(users, options);
  vi.stubGlobal("fetch", clerk.fetch);
  return clerk;
}

async function sync(t: TestConvex, dryRun = false) {
  await t.action(internal.reconcile.withClerk, { dryRun });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

/** Users already here before the run, as webhooks would have left them a while ago. */
async function seed(t: TestConvex, users: FakeClerkUser[]) {
  for (const user of users) {
    await t.mutation(internal.users.upsertFromClerk, {
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
  it("imports every Clerk user across several pages, oldest first, with the secret key", async () => {
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
    const listRequests = clerk.requests.filter((request) => request.userIds.length === 0);
    expect(listRequests.map((request) => [request.orderBy, request.limit])).toEqual(
      listRequests.map(() => ["+created_at", PAGE_SIZE]),
    );
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
    const users = clerkUsers(PAGE_SIZE + 20);
    stubClerk(users);
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
    const appSchema = defineSchema({
      ...schema.tables,
      users: defineTable({ ...clerkUserFields, bio: v.optional(v.string()) })
        .index("by_clerk_id", ["clerkId"])
        .index("by_clerk_updated_at", ["clerkUpdatedAt"]),
    });
    const t = convexTest({ schema: appSchema, modules });
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

  it("misses no one when users are created and deleted in Clerk during the run", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(PAGE_SIZE * 3);
    await seed(t, users.slice(0, 10));
    const deletedEarly = users.slice(100, 100 + OVERLAP + 10).map((user) => user.id);
    const newcomer = clerkUsers(1, PAGE_SIZE * 3)[0] as FakeClerkUser;
    stubClerk(users, {
      beforeAnswer: (request) => {
        // Before the second page: more users before it vanish than the overlap covers, a seeded user
        // is deleted, and someone signs up.
        if (request.offset !== null && request.offset > 0 && users.length === PAGE_SIZE * 3) {
          for (const id of [...deletedEarly, users[5]?.id])
            users.splice(
              users.findIndex((user) => user.id === id),
              1,
            );
          users.push(newcomer);
        }
      },
    });
    await sync(t);
    // Everyone still in Clerk is here (the newcomer too), and the seeded user deleted mid-run is gone.
    expect(await storedIds(t)).toEqual(
      expect.arrayContaining(
        [...users.map((user) => user.id), newcomer.id].filter((id, i, all) => all.indexOf(id) === i),
      ),
    );
    expect(await userByClerkId(t, clerkUsers(6)[5]?.id ?? "")).toBeNull();
    expect(logs.some((line) => line.includes("Clerk's list moved"))).toBe(true);
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
    await sync(t, true);
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
    await expect(t.action(internal.reconcile.withClerk, {})).rejects.toThrow(
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
    const users = clerkUsers(PAGE_SIZE + 10);
    let limited = 0;
    const clerk = stubClerk(users, {
      rateLimit: (request) => request.offset !== null && request.offset > 0 && limited++ < 2,
      retryAfter: "7",
    });
    await sync(t);
    expect((await countDocuments(t)).users).toBe(users.length);
    const second = clerk.requests.filter((request) => request.offset !== null && request.offset > 0);
    expect(second).toHaveLength(3);
    expect((second[1]?.at ?? 0) - (second[0]?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    expect(logs.filter((line) => line.includes("rate limit"))).toHaveLength(2);
  });

  it("gives up with a clear message after repeated failures, keeping what it imported", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const users = clerkUsers(PAGE_SIZE + 10);
    stubClerk(users, { rateLimit: (request) => request.offset !== null && request.offset > 0 });
    await sync(t);
    const failed = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter(
        (job) => job.state.kind === "failed",
      ),
    );
    expect(failed).toHaveLength(1);
    expect(logs.at(-1)).toContain(`gave up after ${MAX_RETRIES} failed requests in a row`);
    expect(logs.at(-1)).toContain("run `pnpm sync:clerk` again later");
    expect((await countDocuments(t)).users).toBe(PAGE_SIZE);
  });

  it("stops at once on a rejected key and says which variable to fix", async () => {
    const t = setupTest();
    captureLogs();
    vi.stubEnv("CLERK_SECRET_KEY", "sk_test_revoked");
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
    vi.stubGlobal("fetch", async () => Response.json({ errors: [] }, { status: 401 }));
    await expect(t.action(internal.reconcile.withClerk, {})).rejects.toThrow("CLERK_SECRET_KEY");
  });
});

describe("the daily cron", () => {
  it("is scheduled daily and calls sync:clerk", () => {
    const job = Object.values(crons.crons)[0];
    expect(job?.schedule).toMatchObject({ type: "daily" });
    expect(job?.name).toBe("reconcile:withClerk");
  });

  it("does nothing but log one line when CLERK_SECRET_KEY is not set", async () => {
    const t = setupTest();
    const logs = captureLogs();
    vi.stubEnv("CLERK_SECRET_KEY", undefined);
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    expect(await t.action(internal.reconcile.withClerk, {})).toBe("not_configured");
    expect(fetch).not.toHaveBeenCalled();
    expect(logs).toEqual([expect.stringContaining("CLERK_SECRET_KEY is not set")]);
  });

  it("runs the whole sync when the key is set", async () => {
    const t = setupTest();
    captureLogs();
    stubClerk(clerkUsers(3));
    expect(await t.action(internal.reconcile.withClerk, {})).toBe("running");
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await countDocuments(t)).users).toBe(3);
  });
});
