/** Renders the doctor's verdicts: one line per check, then the webhook endpoint to paste into Clerk. */
import { organizationEventTypes, SITE_URL_HINT, userEventTypes, WEBHOOK_PATH } from "@repo/shared/config";
import { type CheckResult, type CheckStatus, withoutSecrets } from "./checks.ts";

const tags: Record<CheckStatus, string> = {
  ok: "[ok]     ",
  problem: "[problem]",
  skipped: "[skipped]",
};

/**
 * Details quote values read from the deployment and the env files; a control character in one (an escape
 * sequence pasted by accident, or planted) is shown as `\x1b`, never sent to the terminal.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => {
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

function formatCheck(check: CheckResult): string {
  const fix = check.fix === undefined ? "" : ` → ${check.fix}`;
  const line = `${tags[check.status]} ${check.label}: ${check.detail}${fix}`;
  return printable(withoutSecrets(line)).replace(/\n/g, "\\n");
}

type Report = { text: string; exitCode: number };

type ReportOptions = {
  webhookUrl: string | undefined;
  /** A local deployment (127.0.0.1): Clerk's servers cannot reach it, so there is no URL to paste. */
  local: boolean;
  target: "development" | "production";
  /** The deployment whose variables and health the checks read, as the report's first line names it. */
  deployment?: string | undefined;
};

export function formatReport(checks: CheckResult[], options: ReportOptions): Report {
  const { webhookUrl, local, target } = options;
  const problems = checks.filter((check) => check.status === "problem").length;
  const skipped = checks.filter((check) => check.status === "skipped").length;
  const again = `\`pnpm setup:check${target === "production" ? " --prod" : ""}\``;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  // A check that could not run is not a pass: say so, and fail, so a script never reads it as "all good".
  const summary = [
    ...(problems > 0 ? [`${plural(problems, "problem")} found: fix the lines marked [problem].`] : []),
    ...(skipped > 0
      ? [`${plural(skipped, "check")} could not run: see the reason on the [skipped] lines.`]
      : []),
    problems + skipped > 0 ? `Then run ${again} again.` : "No problems found.",
  ];
  const unknown =
    target === "production"
      ? `the production deployment's HTTP Actions URL (Convex dashboard → Production → Settings → General), followed by ${WEBHOOK_PATH}`
      : `not in packages/backend/.env.local (\`pnpm setup:convex\` writes it as VITE_CONVEX_SITE_URL); with a custom domain or self-hosted, ${SITE_URL_HINT}, followed by ${WEBHOOK_PATH}`;
  const url = local
    ? `none: Clerk's webhooks cannot reach a local deployment. Expose port 3211 through a tunnel and use its URL followed by ${WEBHOOK_PATH}, or run \`pnpm sync:clerk\` to copy your Clerk users in`
    : webhookUrl === undefined
      ? unknown
      : printable(withoutSecrets(webhookUrl));
  const lines = [
    `Checked: the ${target} deployment ${options.deployment === undefined ? "(none configured yet)" : printable(withoutSecrets(options.deployment))}`,
    ...checks.map(formatCheck),
    "",
    target === "production"
      ? "Clerk webhook endpoint (production instance → Webhooks → Add Endpoint):"
      : "Clerk webhook endpoint (Clerk dashboard → Webhooks → Add Endpoint):",
    `  URL:    ${url}`,
    `  Events: ${userEventTypes.join(", ")}; with Organizations also: ${organizationEventTypes.join(", ")}`,
    "",
    ...summary,
  ];
  return { text: lines.join("\n"), exitCode: problems + skipped > 0 ? 1 : 0 };
}
