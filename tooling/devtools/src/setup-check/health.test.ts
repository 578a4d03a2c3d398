// @vitest-environment node
import { describe, expect, it } from "vitest";
import { checkWebhookHealth, type HealthAnswer, readHealth, type WebhookHealth } from "./health.ts";
import { formatReport } from "./report.ts";

/** What `convex run clerk/health:report` prints for a deployment whose webhook works. */
const healthy: WebhookHealth = {
  stranded: { count: 0, more: false, oldestAgeMs: null },
  lastReconcile: { startedAt: Date.UTC(2026, 11, 2, 4, 17), status: "done", dryRun: false, repairs: 0 },
  stalled: false,
};
const stalled: WebhookHealth = {
  stranded: { count: 3, more: false, oldestAgeMs: 42 * 60_000 },
  lastReconcile: {
    ...healthy.lastReconcile,
    startedAt: Date.UTC(2026, 11, 2, 4, 17),
    repairs: 5,
  } as WebhookHealth["lastReconcile"],
  stalled: true,
};

/** The Convex CLI as `convex run` answers: the function's JSON result on stdout, or a failure on stderr. */
function fakeCli(answer: { status: number; stdout?: string; stderr?: string }) {
  const calls: string[][] = [];
  const run = (args: string[]) => {
    calls.push(args);
    return { status: answer.status, stdout: answer.stdout ?? "", stderr: answer.stderr ?? "" };
  };
  return { run, calls };
}

const verdict = (answer: HealthAnswer | undefined, local = false) => checkWebhookHealth(answer, local);
const exitCode = (answer: HealthAnswer) => {
  const check = verdict(answer);
  const options = { webhookUrl: undefined, local: false, target: "development" as const };
  return formatReport(check === undefined ? [] : [check], options).exitCode;
};

describe("setup:check's webhook health", () => {
  it("asks the configured deployment for clerk/health:report through convex run", () => {
    const cli = fakeCli({ status: 0, stdout: `${JSON.stringify(healthy, null, 2)}\n` });
    expect(readHealth(cli.run, ["--prod"])).toEqual({ ok: true, report: healthy });
    expect(cli.calls).toEqual([
      ["run", "--prod", "--codegen", "disable", "--typecheck", "disable", "clerk/health:report"],
    ]);
  });

  it("passes when no user waits for a webhook and the last reconcile repaired nothing", () => {
    expect(verdict({ ok: true, report: healthy })).toMatchObject({
      status: "ok",
      detail:
        "no user made from a sign-in token waits for its webhook; the last reconcile (2026-12-02T04:17:00.000Z, done) repaired 0 rows",
    });
    expect(exitCode({ ok: true, report: healthy })).toBe(0);
  });

  it("fails (exit 1) when the webhook looks stalled, with the counts, the oldest and the fix", () => {
    const check = verdict({ ok: true, report: stalled });
    expect(check).toMatchObject({ status: "problem", label: "webhook deliveries" });
    expect(check?.detail).toContain(
      "3 users made from sign-in tokens have had no webhook for over 10 minutes (the oldest 42 min)",
    );
    expect(check?.detail).toContain("repaired 5 rows");
    expect(check?.fix).toContain("Clerk dashboard → Webhooks");
    expect(exitCode({ ok: true, report: stalled })).toBe(1);
  });

  it("reports a local deployment as such, not as a failure, without asking it", () => {
    expect(verdict(undefined, true)).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("local deployment"),
    });
  });

  it("says it could not check (and fails) when the report cannot be read", () => {
    const cli = fakeCli({ status: 1, stderr: "✖ Could not find function for 'clerk/health:report'\n" });
    const answer = readHealth(cli.run, []);
    expect(answer).toEqual({ ok: false, reason: "Could not find function for 'clerk/health:report'" });
    expect(verdict(answer)).toMatchObject({ status: "skipped", fix: expect.stringContaining("pnpm dev") });
    expect(exitCode(answer)).toBe(1);
    expect(readHealth(fakeCli({ status: 0, stdout: "null\n" }).run, [])).toMatchObject({ ok: false });
  });

  it("adds no line when there is no deployment to ask", () => {
    expect(verdict(undefined)).toBeUndefined();
  });
});
