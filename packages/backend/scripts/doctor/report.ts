/** Renders the doctor's verdicts: one line per check, then the webhook endpoint to paste into Clerk. */
import type { CheckResult, CheckStatus } from "./checks.ts";

const tags: Record<CheckStatus, string> = {
  ok: "[ok]     ",
  problem: "[problem]",
  skipped: "[skipped]",
};

export function formatCheck(check: CheckResult): string {
  const fix = check.fix === undefined ? "" : ` → ${check.fix}`;
  return `${tags[check.status]} ${check.label}: ${check.detail}${fix}`;
}

export type Report = { text: string; exitCode: number };

export function formatReport(
  checks: CheckResult[],
  webhookUrl: string | undefined,
  events: readonly string[],
): Report {
  const problems = checks.filter((check) => check.status === "problem").length;
  const skipped = checks.filter((check) => check.status === "skipped").length;
  const summary =
    problems > 0
      ? `${problems} problem${problems === 1 ? "" : "s"} found: fix the lines marked [problem], then run \`pnpm setup:check\` again.`
      : "No problems found.";
  const lines = [
    ...checks.map(formatCheck),
    "",
    "Clerk webhook endpoint (Clerk dashboard → Webhooks → Add Endpoint):",
    `  URL:    ${webhookUrl ?? "unknown until VITE_CONVEX_URL is set (`pnpm setup:convex`)"}`,
    `  Events: ${events.join(", ")}`,
    "",
    summary,
    ...(skipped > 0
      ? [`${skipped} check${skipped === 1 ? "" : "s"} could not run; see [skipped] above.`]
      : []),
  ];
  return { text: lines.join("\n"), exitCode: problems > 0 ? 1 : 0 };
}
