/**
 * One-time Convex setup. `convex dev --once` asks you to log in (or to use a local deployment without an
 * account), creates the deployment, writes `packages/backend/.env.local` and pushes the functions. Convex
 * refuses that push while CLERK_JWT_ISSUER_DOMAIN is unset (auth.config.ts reads it), so this script sets
 * it from the publishable key in apps/web/.env.local, which encodes the same Frontend API host, and pushes
 * again. Then it copies the deployment URL into apps/web/.env.local as VITE_CONVEX_URL.
 */
import { spawnSync } from "node:child_process";
import { parsePublishableKey } from "@repo/shared/config";
import { convexCommand, readBackendEnv } from "./convex-cli.ts";
import { readEnvFile, setEnvFileValue } from "./env-file.ts";
import { exitOnHelp } from "./help.ts";

exitOnHelp(`
Usage: pnpm setup:convex

One-time Convex setup: runs \`convex dev --once\` (log in, or choose a local deployment), sets
CLERK_JWT_ISSUER_DOMAIN from the publishable key in apps/web/.env.local, pushes the functions, and writes
the deployment URL into apps/web/.env.local as VITE_CONVEX_URL. No flags but -h, --help.

Exit codes: 0 set up, 1 it did not finish (the message says why).
`);

const webEnvPath = new URL("../../../apps/web/.env.local", import.meta.url);

const convex = (args: string[]) => spawnSync(...convexCommand(args), { stdio: "inherit" }).status === 0;

const key = parsePublishableKey(readEnvFile(webEnvPath).VITE_CLERK_PUBLISHABLE_KEY ?? "");
const issuer = key.ok ? `https://${key.value.frontendApiHost}` : undefined;

let pushed = convex(["dev", "--once"]);

const convexUrl = readBackendEnv().CONVEX_URL;
if (!convexUrl) {
  console.error(
    "\nConvex setup did not finish. It needs the network to reach Convex (or to download the local backend); run `pnpm setup:convex` again once you are online.",
  );
  process.exit(1);
}
setEnvFileValue(webEnvPath, "VITE_CONVEX_URL", convexUrl);

if (!pushed && issuer !== undefined) {
  console.log(`\nSetting CLERK_JWT_ISSUER_DOMAIN=${issuer} (from your publishable key) and pushing again.`);
  pushed = convex(["env", "set", "CLERK_JWT_ISSUER_DOMAIN", issuer]) && convex(["dev", "--once"]);
}

if (!pushed) {
  console.error(
    issuer === undefined
      ? "\nThe deployment exists and apps/web/.env.local has its URL, but Convex will not push the functions until CLERK_JWT_ISSUER_DOMAIN is set. Put your Clerk publishable key in apps/web/.env.local as VITE_CLERK_PUBLISHABLE_KEY (README → One-time setup, step 1), then run `pnpm setup:convex` again: it sets the variable from the key."
      : "\nThe functions were not pushed: see Convex's message above, fix it, then run `pnpm setup:convex` again.",
  );
  process.exit(1);
}

console.log(`
Convex is set up. apps/web/.env.local now has VITE_CONVEX_URL=${convexUrl}
Next (README → "One-time setup"):
  1. In Clerk → Webhooks, add the endpoint and run
     pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...
  2. pnpm dev
  pnpm setup:check tells you what is still missing.`);
