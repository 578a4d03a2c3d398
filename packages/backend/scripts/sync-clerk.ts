/**
 * `pnpm sync:clerk [--dry-run] [--prod]`: starts convex/reconcile.ts on the deployment. It runs there in
 * scheduled steps; its progress and summary are in the deployment's logs (`pnpm convex logs`).
 */
import { spawnSync } from "node:child_process";
import { convexCommand } from "./convex-cli.ts";

const args = process.argv.slice(2).filter((arg) => arg !== "--");
const dryRun = args.includes("--dry-run");
const passThrough = args.filter((arg) => arg !== "--dry-run");

const result = spawnSync(
  ...convexCommand(["run", "reconcile:withClerk", JSON.stringify({ dryRun }), ...passThrough]),
  { stdio: "inherit" },
);
if (result.status === 0) {
  console.log(
    `\nsync:clerk ${dryRun ? "(dry run) " : ""}is running on the deployment. Follow it with \`pnpm convex logs\`: a line per page, then "sync:clerk: done" with the counts.`,
  );
}
process.exitCode = result.status ?? 1;
