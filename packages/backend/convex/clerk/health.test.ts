/** The health report `pnpm setup:check` prints and the daily reconcile reads: what a broken webhook leaves. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, internal } from "../_generated/api";
import { fakeClerkId, fakeClerkUser, fakeUserEvent } from "../clerk.fixtures";
import { deliver, setupTest, type TestConvex, userRow } from "../webhook.testkit";
import { STRANDED_AFTER_MS, STRANDED_CAP, webhookAlarm } from "./health";

const NOW = 1_764_000_000_000;
const MINUTE = 60_000;

const signIn = (t: TestConvex, subject: string) =>
  t.withIdentity({ subject }).mutation(api.users.ensureFromToken, {});
const report = (t: TestConvex) => t.query(internal.clerk.health.report, {});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("clerk/health:report", () => {
  it("counts users made from tokens more than ten minutes ago that no webhook reached, and the oldest's age", async () => {
    const t = setupTest();
    await signIn(t, fakeClerkId("user", "oldest"));
    vi.advanceTimersByTime(5 * MINUTE);
    await signIn(t, fakeClerkId("user", "older"));
    const delivered = fakeClerkUser({ id: fakeClerkId("user", "delivered") });
    await signIn(t, delivered.id);
    await deliver(t, fakeUserEvent("user.created", delivered));
    vi.advanceTimersByTime(STRANDED_AFTER_MS);
    await signIn(t, fakeClerkId("user", "just-now"));
    vi.advanceTimersByTime(2 * MINUTE);

    expect(await report(t)).toMatchObject({
      stranded: { count: 2, more: false, oldestAgeMs: 17 * MINUTE },
      lastReconcile: null,
      stalled: true,
    });
  });

  it("is healthy when every token's row got its webhook, and no reconcile has run", async () => {
    const t = setupTest();
    const user = fakeClerkUser({ id: fakeClerkId("user", "ada") });
    await signIn(t, user.id);
    await deliver(t, fakeUserEvent("user.created", user));
    vi.advanceTimersByTime(60 * MINUTE);
    expect(await report(t)).toEqual({
      stranded: { count: 0, more: false, oldestAgeMs: null },
      lastReconcile: null,
      stalled: false,
    });
  });

  it("reads a bounded number of rows however many are stranded", async () => {
    const t = setupTest();
    await t.run(async (ctx) => {
      for (let i = 0; i <= STRANDED_CAP; i++) {
        const clerkId = fakeClerkId("user", `stranded-${i}`);
        await ctx.db.insert("users", userRow({ clerkId, name: "Stranded", clerkUpdatedAt: 0 }));
      }
    });
    vi.advanceTimersByTime(STRANDED_AFTER_MS + MINUTE);
    expect((await report(t)).stranded).toMatchObject({ count: STRANDED_CAP, more: true });
  });

  it("reports the last reconcile's time, outcome and repairs, and a daily run's repair means the webhook missed something", async () => {
    const t = setupTest();
    const totals = { created: 2, updated: 1, unchanged: 40, unreadable: 0, deleted: 3, requests: 9 };
    await t.run((ctx) =>
      ctx.db.insert("syncRuns", {
        dryRun: false,
        status: "done",
        message: "old",
        totals: { ...totals, created: 0 },
      }),
    );
    vi.advanceTimersByTime(MINUTE);
    await t.run((ctx) =>
      ctx.db.insert("syncRuns", {
        dryRun: false,
        daily: true,
        status: "done",
        message: "sync:clerk: done.",
        totals,
      }),
    );
    expect(await report(t)).toMatchObject({
      lastReconcile: {
        startedAt: NOW + MINUTE,
        status: "done",
        dryRun: false,
        message: "sync:clerk: done.",
        repairs: 6,
      },
      stalled: true,
    });
  });

  it("does not call the webhook stalled for what a run by hand repaired (the first import)", async () => {
    const t = setupTest();
    const totals = { created: 120, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: 2 };
    await t.run((ctx) =>
      ctx.db.insert("syncRuns", { dryRun: false, daily: false, status: "done", message: "import", totals }),
    );
    expect(await report(t)).toMatchObject({ lastReconcile: { repairs: 120 }, stalled: false });
  });

  it("does not count a dry run's changes as repairs", async () => {
    const t = setupTest();
    const totals = { created: 2, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: 3 };
    await t.run((ctx) => ctx.db.insert("syncRuns", { dryRun: true, status: "done", message: "dry", totals }));
    expect(await report(t)).toMatchObject({ lastReconcile: { repairs: 0 }, stalled: false });
  });
});

describe("webhookAlarm (the daily reconcile's error line)", () => {
  const quiet = {
    stranded: { count: 0, more: false, oldestAgeMs: null },
    lastReconcile: null,
    stalled: false,
  };
  const none = { created: 0, updated: 0, unchanged: 5, unreadable: 0, deleted: 0, requests: 3 };

  it("is silent when the reconcile repaired nothing and no row waits", () => {
    expect(webhookAlarm(none, quiet)).toBeNull();
  });

  it("names the stranded rows, the oldest's wait and the fix", () => {
    const health = {
      ...quiet,
      stranded: { count: 1000, more: true, oldestAgeMs: 90 * MINUTE },
      stalled: true,
    };
    const alarm = webhookAlarm(none, health) ?? "";
    expect(alarm).toMatch(/^ERROR: /);
    expect(alarm).toContain("1000+ users made from sign-in tokens have had no webhook for over 10 minutes");
    expect(alarm).toContain("the oldest for 90 minutes");
    expect(alarm).toContain("Fix: in the Clerk dashboard → Webhooks");
  });
});
