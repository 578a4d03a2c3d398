/**
 * `pnpm smoke [--allow-live]`: proves the whole loop on your own Clerk development instance and Convex
 * deployment (steps in smoke/run.ts). Exit 0 when every step passed, 1 when one failed or Convex or Clerk
 * could not be reached (naming the host), 2 when something is not configured (one line saying what).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { answers, backendDir, convexCommand, unreachableFor } from "@repo/backend/scripts/convex-cli.ts";
import { parseEnvFile, readEnvFile } from "@repo/backend/scripts/env-file.ts";
import { exitOnHelp } from "@repo/backend/scripts/help.ts";
import type { DeploymentEnv } from "./setup-check/checks.ts";
import { clerkApi } from "./smoke/clerk-api.ts";
import { resolveConfig } from "./smoke/config.ts";
import { liveConvexSide } from "./smoke/convex-side.ts";
import { liveTiming, runSmoke } from "./smoke/run.ts";

exitOnHelp(`
Usage: pnpm smoke [--allow-live]

Proves the live loop on your Clerk development instance and cloud Convex deployment: creates a +clerk_test
user, waits for the webhook's row, signs in with a real session token, renames and deletes the user, and
cleans up. Needs CLERK_SECRET_KEY (exported, or set on the deployment).

  --allow-live   run even with a production secret key (sk_live_)
  -h, --help     show this help

Exit codes: 0 every step passed, 1 a step failed or Convex or Clerk could not be reached, 2 not configured.
`);

const webEnvPath = new URL("../../../apps/web/.env.local", import.meta.url);

/** Offline is not "not configured": it exits 1 and names the host, within seconds. */
function unreachableExit(message: string): never {
  console.error(`smoke: ${message}`);
  process.exit(1);
}

/** `convex env list` for the configured deployment (or CONVEX_DEPLOY_KEY's); a failure is a reason, not a crash. */
async function readDeploymentEnv(): Promise<DeploymentEnv> {
  const offline = await unreachableFor(["env", "list"]);
  if (offline !== undefined) unreachableExit(offline);
  const result = spawnSync(...convexCommand(["env", "list", "--include-values"]), {
    cwd: backendDir,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error !== undefined) return { ok: false, reason: result.error.message };
  if (result.status !== 0) {
    const last = stripVTControlCharacters(result.stderr).trim().split(/\r?\n/).at(-1) ?? "";
    return { ok: false, reason: last || `\`convex env list\` exited ${result.status}` };
  }
  return { ok: true, vars: parseEnvFile(result.stdout) };
}

const args = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = args.filter((arg) => arg !== "--allow-live");
if (unknown.length > 0) {
  console.error(`smoke: unknown argument ${unknown.join(" ")} (only --allow-live)`);
  process.exit(2);
}

const resolved = await resolveConfig({
  processEnv: process.env,
  webEnv: existsSync(webEnvPath) ? readEnvFile(webEnvPath) : undefined,
  backendEnv: readEnvFile(join(backendDir, ".env.local")),
  readDeploymentEnv,
  allowLive: args.includes("--allow-live"),
  nodeVersion: process.versions.node,
});
if (!resolved.ok) {
  console.error(resolved.message);
  process.exit(resolved.exitCode);
}

const { config } = resolved;
if (!(await answers(config.clerkApiUrl))) {
  unreachableExit(
    `cannot reach Clerk's Backend API at ${config.clerkApiUrl}: offline? Check your connection, then try again.`,
  );
}
console.log(`smoke: ${config.frontendApiHost} → ${config.convexUrl}`);
process.exitCode = await runSmoke({
  config,
  clerk: clerkApi({
    baseUrl: config.clerkApiUrl,
    secretKey: config.secretKey,
    onRateLimited: (ms) =>
      console.log(`      Clerk rate limit: waiting ${(ms / 1000).toFixed(0)} s (Retry-After)`),
  }),
  convex: liveConvexSide({ convexUrl: config.convexUrl, webhookUrl: config.webhookUrl }),
  timing: liveTiming,
  runId: `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`,
  print: (line) => console.log(line),
});
