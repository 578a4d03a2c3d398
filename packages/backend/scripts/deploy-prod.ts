/**
 * `pnpm deploy:prod`: `convex deploy` pushes the functions to the production deployment (the one of
 * CONVEX_DEPLOY_KEY, or of the project in .env.local), and in between runs the web app's build with
 * VITE_CONVEX_URL set to that deployment's URL, so apps/web/dist talks to production. Extra arguments go to
 * `convex deploy` (e.g. `--dry-run`).
 */
import { spawnSync } from "node:child_process";
import { convexCommand } from "./convex-cli.ts";
import { exitOnHelp } from "./help.ts";

exitOnHelp(`
Usage: pnpm deploy:prod [convex deploy options, e.g. --dry-run]

Builds apps/web/dist against the production deployment's URL (the deployment of CONVEX_DEPLOY_KEY, or of
your project), then pushes the Convex functions there. Other arguments go to \`convex deploy\`.

  -h, --help   show this help

Exit code: \`convex deploy\`'s (0 deployed and built).
`);

const extra = process.argv.slice(2).filter((arg) => arg !== "--");
const result = spawnSync(
  ...convexCommand([
    "deploy",
    "--cmd",
    "pnpm --dir ../.. build",
    "--cmd-url-env-var-name",
    "VITE_CONVEX_URL",
    ...extra,
  ]),
  { stdio: "inherit", cwd: new URL("../", import.meta.url) },
);
if (result.status === 0) {
  console.log(
    "\nDeployed. apps/web/dist is built against production: publish it (vercel.json serves it with the SPA fallback), then `pnpm setup:check --prod`.",
  );
}
process.exitCode = result.status ?? 1;
