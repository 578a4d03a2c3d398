import { clerkUserSchema } from "@repo/shared/clerk";
import {
  type FakeClerkUser,
  fakeClerkId,
  fakeClerkUser,
  fakeUserDeletedEvent,
  fakeUserEvent,
} from "@repo/shared/clerk-fixtures";
import { userFieldsFromClerk } from "@repo/shared/user";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { internal } from "./_generated/api";
import {
  captureLogs,
  countDocuments,
  deliver,
  setupTest,
  type TestConvex,
  userByClerkId,
} from "./webhook.testkit";

const SECRET_KEY = "sk_test_fake_backfill_key";
const BASE_TIME = 1_764_000_000_000;

/** `count` Clerk users created a second apart, in Clerk's JSON shape (what `GET /v1/users` returns). */
function clerkUsers(count: number): FakeClerkUser[] {
  return Array.from({ length: count }, (_, i) =>
    fakeClerkUser({
      id: fakeClerkId("user", `backfill-${i}`),
      firstName: `User${i}`,
      emails: [`user${i}@example.com`],
      createdAt: BASE_TIME + i * 1000,
      updatedAt: BASE_TIME + i * 1000 + 500,
    }),
  );
}

type ListRequest = { offset: number; limit: number; orderBy: string | null; at: number };

type FakeClerkOptions = {
  /** Answer the list request at this offset with a 429 the first `times` times. */
  rateLimit?: { offset: number; times: number; retryAfter: string };
  /** Runs before a list page is answered, e.g. a webhook landing while the page is in flight. */
  beforePage?: (offset: number) => Promise<void>;
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  // @clerk/backend parses a body as JSON only when the content type is exactly this.
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * Clerk's Backend API as @clerk/backend's `users.getUserList` calls it: `GET /v1/users?limit&offset&order_by`
 * (a JSON array of users) and, alongside it, `GET /v1/users/count` (`{ object: "total_count", total_count }`).
 */
function fakeClerkApi(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  const listRequests: ListRequest[] = [];
  const authorizations = new Set<string | null>();
  let rateLimitsLeft = options.rateLimit?.times ?? 0;

  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    authorizations.add(new Headers(init?.headers).get("authorization"));
    if (url.origin !== "https://api.clerk.com") return json({ errors: [] }, 404);
    if (url.pathname === "/v1/users/count") return json({ object: "total_count", total_count: users.length });
    if (url.pathname !== "/v1/users") return json({ errors: [{ code: "resource_not_found" }] }, 404);

    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 10);
    const orderBy = url.searchParams.get("order_by");
    listRequests.push({ offset, limit, orderBy, at: Date.now() });
    if (options.rateLimit?.offset === offset && rateLimitsLeft > 0) {
      rateLimitsLeft -= 1;
      return json(
        {
          errors: [
            { message: "Too many requests", long_message: "Rate limit exceeded", code: "too_many_requests" },
          ],
          clerk_trace_id: "trace_4f1e2d",
        },
        429,
        { "retry-after": options.rateLimit.retryAfter },
      );
    }
    const sorted = [...users].sort((a, b) =>
      orderBy === "-created_at" ? b.created_at - a.created_at : a.created_at - b.created_at,
    );
    const page = sorted.slice(offset, offset + limit);
    await options.beforePage?.(offset);
    return json(page);
  };
  return { fetch, listRequests, authorizations };
}

async function runBackfill(t: TestConvex) {
  await t.action(internal.users.backfillFromClerk, {});
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function setup(users: FakeClerkUser[], options: FakeClerkOptions = {}) {
  const t = setupTest();
  vi.stubEnv("CLERK_SECRET_KEY", SECRET_KEY);
  const clerk = fakeClerkApi(users, options);
  vi.stubGlobal("fetch", clerk.fetch);
  const logs = captureLogs();
  return { t, clerk, logs };
}

// convex-test runs every page's writes in-process: a few seconds for a thousand users on a busy 2-core box.
describe("users.backfillFromClerk", { timeout: 30_000 }, () => {
  it("imports every Clerk user, 500 a page, oldest first, one scheduled run per page", async () => {
    const { t, clerk, logs } = setup(clerkUsers(1001));
    await runBackfill(t);

    expect(await countDocuments(t)).toEqual({ users: 1001, webhookEvents: 0, deletedUsers: 0 });
    expect(clerk.listRequests.map(({ offset, limit, orderBy }) => ({ offset, limit, orderBy }))).toEqual([
      { offset: 0, limit: 500, orderBy: "+created_at" },
      { offset: 500, limit: 500, orderBy: "+created_at" },
      { offset: 1000, limit: 500, orderBy: "+created_at" },
    ]);
    expect([...clerk.authorizations]).toEqual([`Bearer ${SECRET_KEY}`]);
    expect(logs).toContain("backfill: page 2 (1000 of 1001 users): 500 created, 0 updated, 0 skipped");
    expect(logs.at(-1)).toBe(
      "backfill: done. 3 pages, 1001 created, 0 updated, 0 skipped (already up to date, deleted, or unreadable)",
    );
  });

  it("stores what the webhook's mapper makes of the same user", async () => {
    const gh = fakeClerkUser({
      id: fakeClerkId("user", "grace"),
      firstName: null,
      lastName: null,
      username: "amazing_grace",
      emails: ["old@example.com", "grace@example.com"],
      primaryEmail: "grace@example.com",
      updatedAt: BASE_TIME + 42,
    });
    const { t } = setup([gh]);
    await runBackfill(t);

    const stored = await userByClerkId(t, gh.id);
    const { _id, _creationTime, ...fields } = stored ?? { _id: null, _creationTime: null };
    expect(fields).toEqual(userFieldsFromClerk(clerkUserSchema.parse(gh)));
    expect(fields).toMatchObject({ name: "amazing_grace", email: "grace@example.com" });
  });

  it("on a 429 mid-way, asks for the same page again after Retry-After and still imports everyone", async () => {
    const { t, clerk, logs } = setup(clerkUsers(1001), {
      rateLimit: { offset: 500, times: 1, retryAfter: "7" },
    });
    await runBackfill(t);

    expect(clerk.listRequests.map((request) => request.offset)).toEqual([0, 500, 500, 1000]);
    const [, limited, retried] = clerk.listRequests;
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    expect(logs).toContain("backfill: Clerk rate limit (429) at offset 500; retrying in 7s");
    expect(await countDocuments(t)).toEqual({ users: 1001, webhookEvents: 0, deletedUsers: 0 });
    expect(logs.at(-1)).toContain("3 pages, 1001 created");
  });

  it("stops with a message after ten 429s in a row on one page, keeping what it imported", async () => {
    const { t, clerk, logs } = setup(clerkUsers(501), {
      rateLimit: { offset: 500, times: 11, retryAfter: "1" },
    });
    await t.action(internal.users.backfillFromClerk, {});
    await t.finishAllScheduledFunctions(vi.runAllTimers);

    // The first page, then the second asked for once and retried ten times.
    expect(clerk.listRequests.map((request) => request.offset)).toEqual([0, ...Array(11).fill(500)]);
    const scheduled = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    expect(scheduled.at(-1)?.state.kind).toBe("failed");
    expect(logs.join("\n")).toContain("rate-limited the page at offset 500 10 times in a row");
    expect(await countDocuments(t)).toMatchObject({ users: 500 });
  });

  it("creates nothing when run a second time", async () => {
    const { t, logs } = setup(clerkUsers(501));
    await runBackfill(t);
    await runBackfill(t);

    expect(await countDocuments(t)).toEqual({ users: 501, webhookEvents: 0, deletedUsers: 0 });
    expect(logs.at(-1)).toBe(
      "backfill: done. 2 pages, 0 created, 0 updated, 501 skipped (already up to date, deleted, or unreadable)",
    );
  });

  it("does not overwrite a newer webhook update that lands while its page is in flight", async () => {
    const users = clerkUsers(3);
    const [, middle] = users;
    if (middle === undefined) throw new Error("fixture");
    const newer = fakeClerkUser({
      id: middle.id,
      firstName: "Renamed",
      updatedAt: middle.updated_at + 60_000,
    });
    let t: TestConvex | undefined;
    const ctx = setup(users, {
      beforePage: async () => {
        if (t !== undefined) await deliver(t, fakeUserEvent("user.updated", newer));
      },
    });
    t = ctx.t;
    await runBackfill(t);

    expect(await userByClerkId(t, middle.id)).toMatchObject({
      name: "Renamed Lovelace",
      clerkUpdatedAt: middle.updated_at + 60_000,
    });
    expect(ctx.logs.at(-1)).toContain("1 pages, 2 created, 0 updated, 1 skipped");
  });

  it("does not bring back a user deleted while its page is in flight", async () => {
    const users = clerkUsers(3);
    const [first] = users;
    if (first === undefined) throw new Error("fixture");
    let t: TestConvex | undefined;
    const ctx = setup(users, {
      beforePage: async () => {
        if (t !== undefined) await deliver(t, fakeUserDeletedEvent(first.id, first.updated_at + 1000));
      },
    });
    t = ctx.t;
    await runBackfill(t);

    expect(await userByClerkId(t, first.id)).toBeNull();
    expect(await countDocuments(t)).toMatchObject({ users: 2, deletedUsers: 1 });
  });

  it("fails with the variable's name, before calling Clerk, when CLERK_SECRET_KEY is not set", async () => {
    const { t, clerk } = setup(clerkUsers(1));
    vi.stubEnv("CLERK_SECRET_KEY", undefined);

    await expect(t.action(internal.users.backfillFromClerk, {})).rejects.toThrow(
      /CLERK_SECRET_KEY is not set/,
    );
    expect(clerk.listRequests).toEqual([]);
    expect(await countDocuments(t)).toMatchObject({ users: 0 });
  });
});
