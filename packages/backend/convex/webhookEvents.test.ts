import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { internal } from "./_generated/api";
import crons from "./crons";
import { setupTest, type TestConvex } from "./webhook.testkit";
import { PRUNE_BATCH, RETENTION_MS } from "./webhookEvents";

const NOW = Date.UTC(2026, 0, 31, 12);
const DAY = 24 * 60 * 60 * 1000;

async function logEntries(t: TestConvex, count: number, receivedAt: number, prefix: string) {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i++) {
      await ctx.db.insert("webhookEvents", {
        svixId: `msg_${prefix}_${i}`,
        type: "user.updated",
        receivedAt,
        outcome: "updated",
      });
    }
  });
}

function remaining(t: TestConvex) {
  return t.run(async (ctx) => (await ctx.db.query("webhookEvents").collect()).map((entry) => entry.svixId));
}

function scheduledPrunes(t: TestConvex) {
  return t.run(async (ctx) =>
    (await ctx.db.system.query("_scheduled_functions").collect()).filter(
      (job) => job.name.includes("prune") && job.state.kind === "pending",
    ),
  );
}

describe("webhookEvents.prune", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("removes entries older than 30 days across several batches and keeps recent ones", async () => {
    const t = setupTest();
    const oldCount = PRUNE_BATCH * 2 + 50;
    await logEntries(t, oldCount, NOW - RETENTION_MS - DAY, "old");
    await logEntries(t, 3, NOW - RETENTION_MS + DAY, "recent");
    await logEntries(t, 2, NOW - DAY, "yesterday");

    // The first run deletes one full batch and schedules the next one.
    expect(await t.mutation(internal.webhookEvents.prune, {})).toBe(PRUNE_BATCH);
    expect(await remaining(t)).toHaveLength(oldCount - PRUNE_BATCH + 5);
    expect(await scheduledPrunes(t)).toHaveLength(1);

    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await remaining(t)).sort()).toEqual(
      ["msg_recent_0", "msg_recent_1", "msg_recent_2", "msg_yesterday_0", "msg_yesterday_1"].sort(),
    );
  });

  it("stops after a partial batch instead of rescheduling itself", async () => {
    const t = setupTest();
    await logEntries(t, 10, NOW - RETENTION_MS - 1, "old");
    expect(await t.mutation(internal.webhookEvents.prune, {})).toBe(10);
    expect(await scheduledPrunes(t)).toEqual([]);
  });

  it("is what the daily cron runs", () => {
    const jobs = Object.values(crons.crons);
    expect(jobs).toEqual([expect.objectContaining({ name: "webhookEvents:prune", args: [{}] })]);
  });
});
