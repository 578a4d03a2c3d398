/**
 * `pnpm setup:check [--prod]`, the doctor: gathers versions, the env files and the deployment's env
 * (`convex env list`), then prints the verdicts of setup-check/checks.ts. Exits 1 when something needs fixing or
 * could not be checked. `--prod` checks what `pnpm deploy:prod` and the production webhook need.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import {
  backendDir,
  convexCommand,
  readBackendEnv,
  unreachableFor,
} from "@repo/backend/scripts/convex-cli.ts";
import { type EnvFile, parseEnvFile, readEnvFile } from "@repo/backend/scripts/env-file.ts";
import { exitOnHelp } from "@repo/backend/scripts/help.ts";
import {
  type DeploymentEnv,
  type DoctorInputs,
  doctorWebhookUrl,
  isLocalDeployment,
  runChecks,
} from "./setup-check/checks.ts";
import { checkWebhookHealth, readHealth } from "./setup-check/health.ts";
import { formatReport } from "./setup-check/report.ts";

exitOnHelp(`
Usage: pnpm setup:check [--prod]

Checks Node, pnpm, both .env.local files, the deployment's variables and that key, issuer and deployment
belong together, and whether Clerk's webhooks arrive (a cloud deployment's health report); prints the fix
for each problem, the webhook URL and the events. Changes nothing.

  --prod       check the production build's key, the deploy target and the production deployment instead
  -h, --help   show this help

Exit codes: 0 no problems, 1 something needs fixing or could not be checked.
`);

const target = process.argv.includes("--prod") ? "production" : "development";
const rootDir = new URL("../../../", import.meta.url);
const webDir = new URL("apps/web/", rootDir);

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

const convexTarget = (deployKey: string | undefined) =>
  target === "production" && !deployKey ? ["--prod"] : [];

/** Asks the deployment for its env; any failure (unreachable, logged out, timeout) becomes a reason, not a crash. */
async function readDeploymentEnv(args: string[]): Promise<DeploymentEnv> {
  // Unreachable, the Convex CLI retries for a long while (forever, self-hosted): ask its host first.
  const envList = ["env", "list", "--include-values", ...args];
  const offline = await unreachableFor(envList);
  if (offline !== undefined) return { ok: false, reason: offline };
  const result = spawnSync(...convexCommand(envList), {
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

/** The production deployment's own CONVEX_SITE_URL (custom domains included), or undefined. */
function readSiteUrl(args: string[]): string | undefined {
  const result = spawnSync(
    ...convexCommand([
      "run",
      ...args,
      "--codegen",
      "disable",
      "--typecheck",
      "disable",
      "--inline-query",
      "process.env.CONVEX_SITE_URL ?? null",
    ]),
    { cwd: backendDir, encoding: "utf8", timeout: 60_000 },
  );
  if (result.status !== 0) return undefined;
  try {
    const value: unknown = JSON.parse(result.stdout.trim());
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The deployment a URL serves, by its own answer to `GET /instance_name` (what `convex network-test` asks). */
async function instanceName(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  try {
    const response = await fetch(new URL("/instance_name", url), { signal: AbortSignal.timeout(3_000) });
    return response.ok ? (await response.text()).trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** What `vite build` reads, in Vite's order: the environment first, then .env.production.local, … .env. */
function productionWebEnv(): { env: EnvFile; keySource: string | undefined } {
  const files = [".env.production.local", ".env.production", ".env.local", ".env"];
  const fromEnv = process.env.VITE_CLERK_PUBLISHABLE_KEY;
  if (fromEnv) return { env: { VITE_CLERK_PUBLISHABLE_KEY: fromEnv }, keySource: "the environment" };
  for (const file of files) {
    const env = readEnvFile(new URL(file, webDir));
    if (env.VITE_CLERK_PUBLISHABLE_KEY) return { env, keySource: `apps/web/${file}` };
  }
  return { env: {}, keySource: undefined };
}

// As the Convex CLI does, the environment wins over packages/backend/.env.local.
const backendEnv: EnvFile = readBackendEnv();
for (const name of ["CONVEX_DEPLOYMENT", "CONVEX_SELF_HOSTED_URL"]) {
  const value = process.env[name];
  if (value) backendEnv[name] = value;
}
const deployKey = process.env.CONVEX_DEPLOY_KEY || undefined;
const hasDeployment =
  target === "production"
    ? Boolean(deployKey || backendEnv.CONVEX_DEPLOYMENT)
    : Boolean(backendEnv.CONVEX_DEPLOYMENT || backendEnv.CONVEX_SELF_HOSTED_URL);
const deploymentEnv = hasDeployment ? await readDeploymentEnv(convexTarget(deployKey)) : undefined;
const webEnvPath = new URL(".env.local", webDir);
const production = target === "production" ? productionWebEnv() : undefined;

const webEnv = production?.env ?? (existsSync(webEnvPath) ? readEnvFile(webEnvPath) : undefined);
const webUrl = webEnv?.VITE_CONVEX_URL?.replace(/\/+$/, "");
const backendUrl = backendEnv.CONVEX_URL?.replace(/\/+$/, "");
// Two URLs can name one deployment (a custom domain): ask each which it serves, only when they differ.
const instanceNames =
  production === undefined && webUrl && backendUrl && webUrl !== backendUrl
    ? { web: await instanceName(webUrl), backend: await instanceName(backendUrl) }
    : undefined;

const inputs: DoctorInputs = {
  target,
  nodeVersion: process.versions.node,
  nodeRequired: rootPackage.engines?.node ?? ">=22.12",
  pnpmVersion: pnpmVersion(),
  packageManager: rootPackage.packageManager ?? "pnpm",
  webEnv,
  instanceNames,
  webKeySource: production?.keySource,
  backendEnv,
  deploymentEnv,
  deployKey,
  productionSiteUrl:
    production !== undefined && deploymentEnv?.ok ? readSiteUrl(convexTarget(deployKey)) : undefined,
};

// Whether webhooks arrive, from the deployment's own health report (setup-check/health.ts).
const local = isLocalDeployment(inputs);
const runConvex = (args: string[]) =>
  spawnSync(...convexCommand(args), { cwd: backendDir, encoding: "utf8", timeout: 60_000 });
const health = deploymentEnv?.ok && !local ? readHealth(runConvex, convexTarget(deployKey)) : undefined;
const healthCheck = deploymentEnv === undefined ? undefined : checkWebhookHealth(health, local);

const report = formatReport([...runChecks(inputs), ...(healthCheck === undefined ? [] : [healthCheck])], {
  webhookUrl: doctorWebhookUrl(inputs),
  local,
  target,
  deployment:
    target === "production"
      ? (inputs.productionSiteUrl?.replace(".convex.site", ".convex.cloud") ??
        (deployKey && "of CONVEX_DEPLOY_KEY"))
      : (backendUrl ?? backendEnv.CONVEX_DEPLOYMENT),
});
console.log(report.text);
process.exitCode = report.exitCode;
