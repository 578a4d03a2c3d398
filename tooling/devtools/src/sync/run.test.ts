// @vitest-environment node
import { describe, expect, it } from "vitest";
import { DEADLINE_MS, parseSyncArgs, runSync, STALL_MS, type SyncDeps, type SyncOptions } from "./run.ts";

const DONE_DRY =
  "sync:clerk: done (dry run: nothing was written). 3 created, 0 updated, 2 deleted, 5 unchanged; 4 Clerk requests.";
const DONE = "sync:clerk: done. 3 created, 0 updated, 2 deleted, 5 unchanged; 4 Clerk requests.";

/** The Convex CLI as `convex run` answers: the function's JSON result on stdout. Each run ends after one poll. */
function fakeDeployment(
  outcome: { configured?: boolean; stop?: string; answer?: boolean; never?: "stuck" | "slow" } = {},
) {
  const calls: string[][] = [];
  let clock = 0;
  const runs: { dryRun: boolean; allowMassDelete: boolean }[] = [];
  const polls = new Map<string, number>();
  const deps: SyncDeps = {
    convex: async (args) => {
      calls.push(args);
      const [, ...rest] = args;
      const fnIndex = rest.findIndex((arg) => arg.startsWith("clerk/sync:"));
      const fn = rest[fnIndex];
      const input = JSON.parse(rest[fnIndex + 1] ?? "{}");
      if (fn === "clerk/sync:run") {
        if (outcome.configured === false) return ok({ status: "not_configured", runId: null });
        runs.push(input);
        return ok({ status: "running", runId: `run${runs.length}` });
      }
      const run = runs[Number(String(input.runId).slice(3)) - 1];
      const seen = polls.get(input.runId) ?? 0;
      polls.set(input.runId, seen + 1);
      if (seen === 0 || outcome.never === "stuck")
        return ok({ status: "running", dryRun: run?.dryRun, message: "sync:clerk: 500 Clerk users read" });
      if (outcome.never === "slow") {
        // Counts that move on every poll: a long run, not a stuck one.
        const totals = { created: seen, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: seen };
        return ok({
          status: "running",
          dryRun: run?.dryRun,
          message: "sync:clerk: 500 Clerk users read",
          totals,
        });
      }
      if (outcome.stop !== undefined)
        return ok({ status: "stopped", dryRun: run?.dryRun, message: outcome.stop });
      return ok({ status: "done", dryRun: run?.dryRun, message: run?.dryRun ? DONE_DRY : DONE });
    },
    ask: async () => outcome.answer ?? false,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    log: (line) => lines.push(line),
    error: (line) => lines.push(`ERROR ${line}`),
  };
  const lines: string[] = [];
  return { deps, calls, runs, lines };
}

function ok(value: unknown) {
  return { status: 0, stdout: `${JSON.stringify(value, null, 2)}\n`, stderr: "" };
}

const options = (overrides: Partial<SyncOptions> = {}): SyncOptions => ({
  dryRun: false,
  prod: false,
  yes: false,
  allowMassDelete: false,
  ...overrides,
});

describe("pnpm sync:clerk", () => {
  it("prints the run's progress and summary from its record, and exits 0", async () => {
    const deployment = fakeDeployment();
    expect(await runSync(options(), deployment.deps)).toBe(0);
    expect(deployment.lines).toEqual(["sync:clerk: 500 Clerk users read", DONE]);
    expect(deployment.runs).toEqual([{ dryRun: false, allowMassDelete: false }]);
  });

  it("--prod shows the dry run's summary, asks, and changes nothing when the answer is no", async () => {
    const deployment = fakeDeployment({ answer: false });
    expect(await runSync(options({ prod: true }), deployment.deps)).toBe(1);
    expect(deployment.runs).toEqual([{ dryRun: true, allowMassDelete: false }]);
    expect(deployment.lines).toContain(DONE_DRY);
    expect(deployment.lines.at(-1)).toBe("Nothing was changed.");
    expect(deployment.calls.every((args) => args[1] === "--prod")).toBe(true);
  });

  it("--prod applies after a yes, and --yes answers for you", async () => {
    for (const [opts, answer] of [
      [options({ prod: true }), true],
      [options({ prod: true, yes: true }), false],
    ] as const) {
      const deployment = fakeDeployment({ answer });
      expect(await runSync(opts, deployment.deps)).toBe(0);
      expect(deployment.runs.map((run) => run.dryRun)).toEqual([true, false]);
      expect(deployment.lines.at(-1)).toBe(DONE);
    }
  });

  it("--prod does not ask when the dry run stopped (a doubtful answer from Clerk, or a mass delete)", async () => {
    const stop = "sync:clerk: stopped before deleting: 40 of 100 users are gone from Clerk, more than 10%.";
    const deployment = fakeDeployment({ stop, answer: true });
    expect(await runSync(options({ prod: true, allowMassDelete: false }), deployment.deps)).toBe(1);
    expect(deployment.runs).toHaveLength(1);
    expect(deployment.lines).toContain(stop);
  });

  it("passes --allow-mass-delete to the run", async () => {
    const deployment = fakeDeployment();
    await runSync(options({ allowMassDelete: true }), deployment.deps);
    expect(deployment.runs).toEqual([{ dryRun: false, allowMassDelete: true }]);
  });

  it("says which variable to set, and exits 2, when CLERK_SECRET_KEY is missing", async () => {
    const deployment = fakeDeployment({ configured: false });
    expect(await runSync(options({ prod: true }), deployment.deps)).toBe(2);
    expect(deployment.lines.join("\n")).toContain("pnpm convex env set --prod CLERK_SECRET_KEY");
  });

  it("stops waiting, says the run looks stuck and what to do, and exits 1, when nothing moves for 15 minutes", async () => {
    const deployment = fakeDeployment({ never: "stuck" });
    expect(await runSync(options(), deployment.deps)).toBe(1);
    const polls = deployment.calls.filter((args) => args.includes("clerk/sync:status")).length;
    expect(polls).toBe(STALL_MS / 2000 + 1);
    expect(deployment.lines.at(-1)).toMatch(
      /^ERROR sync:clerk: the run has made no progress for 15 minutes: it looks stuck/,
    );
    expect(deployment.lines.at(-1)).toContain("`pnpm convex logs`");
    expect(deployment.lines.at(-1)).toContain("run `pnpm sync:clerk` again");
  });

  it("waits for a long run whose counts keep moving, up to its deadline", async () => {
    const deployment = fakeDeployment({ never: "slow" });
    expect(await runSync(options(), deployment.deps)).toBe(1);
    const polls = deployment.calls.filter((args) => args.includes("clerk/sync:status")).length;
    expect(polls).toBe(DEADLINE_MS / 2000 + 1);
    expect(deployment.lines.at(-1)).toContain(
      "stopped waiting after 720 minutes; the run may still be going",
    );
  });

  it("refuses unknown options", () => {
    expect(parseSyncArgs(["--dryrun"])).toMatch(/Unknown option "--dryrun"/);
    expect(parseSyncArgs(["--", "--prod", "--yes"])).toMatchObject({ prod: true, yes: true, dryRun: false });
  });
});
