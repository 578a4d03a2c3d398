/**
 * One-time Convex setup: `convex dev --once` asks you to log in (or to use a local deployment without an
 * account), creates the deployment and writes `packages/backend/.env.local`. This script then copies the
 * deployment URL into `apps/web/.env.local` as VITE_CONVEX_URL so the web app can reach it.
 */
import { spawnSync } from "node:child_process";
import { convexCommand } from "./convex-cli.ts";
import { readEnvFile, setEnvFileValue } from "./env-file.ts";

const backendEnvPath = new URL("../.env.local", import.meta.url);
const webEnvPath = new URL("../../../apps/web/.env.local", import.meta.url);

const result = spawnSync(...convexCommand(["dev", "--once"]), { stdio: "inherit" });
if (result.status !== 0) {
  console.error(
    "\nConvex setup did not finish. It needs the network to reach Convex (or to download the local backend); run `pnpm setup:convex` again once you are online.",
  );
  process.exit(1);
}

const convexUrl = readEnvFile(backendEnvPath).CONVEX_URL;
if (!convexUrl) {
  console.error(
    "\n`convex dev` finished but packages/backend/.env.local has no CONVEX_URL. Run `pnpm setup:convex` again.",
  );
  process.exit(1);
}
setEnvFileValue(webEnvPath, "VITE_CONVEX_URL", convexUrl);

console.log(`
Convex is set up. apps/web/.env.local now has VITE_CONVEX_URL=${convexUrl}
Next (see README → "One-time setup"):
  1. Put VITE_CLERK_PUBLISHABLE_KEY in apps/web/.env.local.
  2. pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-app>.clerk.accounts.dev
  3. pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...
  4. pnpm dev`);
