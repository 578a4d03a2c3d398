/**
 * `pnpm deploy:prod`: `convex deploy` pushes the functions to the production deployment (the one of
 * CONVEX_DEPLOY_KEY, or of the project in .env.local), and in between runs the web app's build with
 * VITE_CONVEX_URL set to that deployment's URL, so apps/web/dist talks to production. Extra arguments go to
 * `convex deploy` (e.g. `--dry-run`).
 */
import { spawnSync } from "node:child_process";
import { reachableConvexCommand } from "./convex-cli.ts";
import { productionBuildValue } from "./env-file.ts";
import { exitOnHelp } from "./help.ts";

exitOnHelp(`
Usage: pnpm deploy:prod [--allow-test-key] [convex deploy options, e.g. --dry-run]

Builds apps/web/dist against the production deployment's URL (the deployment of CONVEX_DEPLOY_KEY, or of
your project), then pushes the Convex functions there. Other arguments go to \`convex deploy\`.

  --allow-test-key   build even with a development Clerk key (pk_test_)
  -h, --help         show this help

Exit code: \`convex deploy\`'s (0 deployed and built); 1 as well when it refuses a pk_test_ key or cannot
reach Convex.
`);

const args = process.argv.slice(2).filter((arg) => arg !== "--");
const allowTestKey = args.includes("--allow-test-key");
const extra = args.filter((arg) => arg !== "--allow-test-key");

// A development key in a production build signs real users into the development instance.
const key = productionBuildValue(
  new URL("../../../apps/web/", import.meta.url),
  "VITE_CLERK_PUBLISHABLE_KEY",
);
if (key?.value.startsWith("pk_test_") && !allowTestKey) {
  const from = key.source === "the environment" ? "the environment" : `apps/web/${key.source}`;
  console.error(
    `✖ The production build would use a development Clerk key (pk_test_, from ${from}). Put the production instance's pk_live_ key (Clerk dashboard → Production → API keys) in VITE_CLERK_PUBLISHABLE_KEY: your host's build environment, or apps/web/.env.production.local (vite build reads it before .env.local). To build with the development key anyway: pnpm deploy:prod --allow-test-key`,
  );
  process.exit(1);
}

const result = spawnSync(
  ...(await reachableConvexCommand([
    "deploy",
    "--cmd",
    "pnpm --dir ../.. build",
    "--cmd-url-env-var-name",
    "VITE_CONVEX_URL",
    ...extra,
  ])),
  { stdio: "inherit", cwd: new URL("../", import.meta.url) },
);
if (result.status === 0) {
  console.log(
    "\nDeployed. apps/web/dist is built against production: publish it (vercel.json serves it with the SPA fallback), then `pnpm setup:check --prod`.",
  );
}
process.exitCode = result.status ?? 1;
