/**
 * `pnpm setup:check`'s webhook health: the deployment's own report (`clerk/health:report`, convex/clerk/health.ts)
 * of what a broken webhook leaves behind, turned into one check. A local deployment is never reached by Clerk,
 * so there it is reported as such, not as a failure.
 */
import type { CheckResult } from "./checks.ts";

/** What `clerk/health:report` answers (the fields read here). */
export type WebhookHealth = {
  stranded: { count: number; more: boolean; oldestAgeMs: number | null };
  lastReconcile: null | { startedAt: number; status: string; dryRun: boolean; repairs: number };
  stalled: boolean;
};

export type HealthAnswer = { ok: true; report: WebhookHealth } | { ok: false; reason: string };

type ConvexRun = (args: string[]) => { status: number | null; stdout: string; stderr: string };

/** Asks the deployment for its report through `convex run` (`target` is `--prod` or nothing). */
export function readHealth(run: ConvexRun, target: string[]): HealthAnswer {
  const result = run([
    "run",
    ...target,
    "--codegen",
    "disable",
    "--typecheck",
    "disable",
    "clerk/health:report",
  ]);
  if (result.status !== 0) {
    const last = result.stderr.trim().split(/\r?\n/).at(-1)?.replace(/^✖\s*/, "");
    return { ok: false, reason: last || `\`convex run clerk/health:report\` exited ${result.status}` };
  }
  try {
    const report = JSON.parse(result.stdout.trim()) as WebhookHealth;
    if (typeof report?.stalled === "boolean") return { ok: true, report };
  } catch {}
  return { ok: false, reason: "`convex run clerk/health:report` answered something else than its report" };
}

const LABEL = "webhook deliveries";
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** The check's verdict; undefined when there is no deployment to ask (the deployment checks say why). */
export function checkWebhookHealth(
  answer: HealthAnswer | undefined,
  local: boolean,
): CheckResult | undefined {
  if (local) {
    return {
      status: "ok",
      label: LABEL,
      detail:
        "not checked: a local deployment never gets Clerk's webhooks (`pnpm sync:clerk` copies your users in)",
    };
  }
  if (answer === undefined) return undefined;
  if (!answer.ok) {
    return {
      status: "skipped",
      label: LABEL,
      detail: `could not read clerk/health:report: ${answer.reason}`,
      fix: "deploy the functions (`pnpm dev` pushes them), then run this again",
    };
  }
  const { stranded, lastReconcile } = answer.report;
  const waiting =
    stranded.count === 0
      ? "no user made from a sign-in token waits for its webhook"
      : `${stranded.count}${stranded.more ? "+" : ""} users made from sign-in tokens have had no webhook for over 10 minutes (the oldest ${minutes(stranded.oldestAgeMs ?? 0)})`;
  const reconcile =
    lastReconcile === null
      ? "no reconcile has run"
      : `the last reconcile (${new Date(lastReconcile.startedAt).toISOString()}, ${lastReconcile.status}${lastReconcile.dryRun ? ", dry run" : ""}) repaired ${lastReconcile.repairs} rows`;
  const detail = `${waiting}; ${reconcile}`;
  if (!answer.report.stalled) return { status: "ok", label: LABEL, detail };
  return {
    status: "problem",
    label: LABEL,
    detail: `the webhook looks stalled: ${detail}`,
    fix: "in the Clerk dashboard → Webhooks, check the endpoint's URL (below), its events and its failed deliveries, and that CLERK_WEBHOOK_SECRET is its signing secret; then `pnpm sync:clerk` repairs the rows, and a second run that repairs nothing clears this",
  };
}
