/**
 * `pnpm setup:check`, the doctor: gathers versions, the two .env.local files and the deployment's env
 * (`convex env list`), then prints the verdicts of doctor/checks.ts. Exits 1 when something needs fixing.
 */
import { spawnSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { handledEventTypes } from "@repo/shared/config";
import { convexCommand } from "./convex-cli.ts";
import { type DeploymentEnv, type DoctorInputs, doctorWebhookUrl, runChecks } from "./doctor/checks.ts";
import { formatReport } from "./doctor/report.ts";
import { parseEnvFile, readEnvFile } from "./env-file.ts";

const rootDir = new URL("../../../", import.meta.url);
const backendDir = new URL("../", import.meta.url);
const webEnvPath = new URL("apps/web/.env.local", rootDir);

type RootPackage = { engines?: { node?: string }; packageManager?: string };
const rootPackage = JSON.parse(readFileSync(new URL("package.json", rootDir), "utf8")) as RootPackage;

/** pnpm puts its version in the user agent of the scripts it runs; ask it directly otherwise. */
function pnpmVersion(): string | undefined {
  const fromAgent = /\bpnpm\/(\S+)/.exec(process.env.npm_config_user_agent ?? "")?.[1];
  if (fromAgent !== undefined) return fromAgent;
  const result = spawnSync("pnpm", ["--version"], { encoding: "utf8", timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The Convex CLI's own error line (`✖ …`) says more than the stack traces that follow it. */
function failureLine(stderr: string): string {
  const lines = stripVTControlCharacters(stderr)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.find((line) => line.startsWith("✖")) ?? lines.at(-1) ?? "").replace(/^✖\s*/, "");
}

/**
 * Offline, `convex env list` spends about 35 s retrying before it gives up, so look the host up first
 * (3 s at most) and report "offline" at once. Local deployments need no lookup.
 */
async function resolves(url: string | undefined): Promise<boolean> {
  const host = url === undefined ? undefined : /^https?:\/\/([^/:]+)/.exec(url)?.[1];
  if (host === undefined || host === "127.0.0.1" || host === "localhost") return true;
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, 3_000, false).unref());
  return Promise.race([
    lookup(host).then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

/** Asks the deployment for its env; any failure (offline, logged out, timeout) becomes a reason, not a crash. */
async function readDeploymentEnv(convexUrl: string | undefined): Promise<DeploymentEnv> {
  if (!(await resolves(convexUrl))) return { ok: false, reason: "offline? cannot reach the deployment" };
  const result = spawnSync(...convexCommand(["env", "list", "--include-values"]), {
    cwd: backendDir,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error !== undefined) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    return { ok: false, reason: timedOut ? "`convex env list` timed out" : result.error.message };
  }
  if (result.status !== 0) {
    return { ok: false, reason: failureLine(result.stderr) || `\`convex env list\` exited ${result.status}` };
  }
  return { ok: true, vars: parseEnvFile(result.stdout) };
}

const backendEnv = readEnvFile(new URL(".env.local", backendDir));
const inputs: DoctorInputs = {
  nodeVersion: process.versions.node,
  nodeRequired: rootPackage.engines?.node ?? ">=20.19",
  pnpmVersion: pnpmVersion(),
  packageManager: rootPackage.packageManager ?? "pnpm",
  webEnv: existsSync(webEnvPath) ? readEnvFile(webEnvPath) : undefined,
  backendEnv,
  deploymentEnv: backendEnv.CONVEX_DEPLOYMENT ? await readDeploymentEnv(backendEnv.CONVEX_URL) : undefined,
};

const report = formatReport(runChecks(inputs), doctorWebhookUrl(inputs), handledEventTypes);
console.log(report.text);
process.exitCode = report.exitCode;
