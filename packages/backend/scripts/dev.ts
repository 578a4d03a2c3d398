/**
 * `pnpm dev` for the backend: runs `convex dev` when this package has a deployment, and otherwise says in
 * one line what to do. It never exits with an error, so turbo keeps the web app serving either way.
 */
import { spawn } from "node:child_process";
import { convexCommand } from "./convex-cli.ts";
import { readEnvFile } from "./env-file.ts";

const tag = "[convex]";
const env = readEnvFile(new URL("../.env.local", import.meta.url));
const hasDeployment =
  Boolean(env.CONVEX_DEPLOYMENT) ||
  Boolean(process.env.CONVEX_DEPLOYMENT) ||
  Boolean(process.env.CONVEX_DEPLOY_KEY) ||
  Boolean(process.env.CONVEX_SELF_HOSTED_URL);

if (!hasDeployment) {
  console.log(
    `${tag} No Convex deployment yet: run \`pnpm setup:convex\` once (log in or pick a local deployment), then \`pnpm dev\` again. The web app keeps running meanwhile.`,
  );
  process.exit(0);
}

// stdin is a pipe under turbo, so the Convex CLI fails fast instead of waiting on a prompt nobody sees.
const child = spawn(...convexCommand(["dev"]), { stdio: ["ignore", "inherit", "inherit"] });

child.on("error", (error) => {
  console.log(`${tag} Could not start \`convex dev\`: ${error.message}. Run \`pnpm install\` and try again.`);
});

child.on("exit", (code, signal) => {
  if (signal !== null || code === 0) return;
  console.log(
    `${tag} \`convex dev\` stopped (exit ${code}). Offline, or not logged in? Run \`pnpm setup:convex\` in its own terminal to fix the login; the web app keeps running meanwhile.`,
  );
  process.exit(0);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
