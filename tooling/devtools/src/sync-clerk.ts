/** `pnpm sync:clerk [--dry-run] [--prod [--yes]] [--allow-mass-delete]`: see sync/run.ts. */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { backendDir, convexCommand, unreachableFor } from "@repo/backend/scripts/convex-cli.ts";
import { exitOnHelp } from "@repo/backend/scripts/help.ts";
import { parseSyncArgs, runSync } from "./sync/run.ts";

exitOnHelp(`
Usage: pnpm sync:clerk [--dry-run] [--prod [--yes]] [--allow-mass-delete]

Brings users (and, with Clerk Organizations, organizations and memberships) in step with Clerk's full lists,
through the webhook's rules. Needs CLERK_SECRET_KEY on the deployment.

  --dry-run             report what would change, write nothing
  --prod                target production: shows the dry run's summary first and asks
  --yes                 answer yes to that question (for CI)
  --allow-mass-delete   delete even more than 10% of a table (and more than 10 rows)
  -h, --help            show this help

Exit codes: 0 done, 1 stopped, refused, stuck (no progress for 15 minutes) or Convex unreachable, 2 not
configured.
`);

const options = parseSyncArgs(process.argv.slice(2));
if (typeof options === "string") {
  console.error(options);
  process.exit(1);
}

// Offline, each `convex run` would retry for half a minute before failing: ask the host once, first.
const offline = await unreachableFor(["run", ...(options.prod ? ["--prod"] : [])]);
if (offline !== undefined) {
  console.error(`sync:clerk: ${offline}`);
  process.exit(1);
}

process.exitCode = await runSync(options, {
  convex: (args) =>
    new Promise((resolve) => {
      // In packages/backend, where the CLI finds the deployment setup:convex wrote into .env.local.
      const child = spawn(...convexCommand(args), { cwd: backendDir, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("close", (status) => resolve({ status: status ?? 1, stdout, stderr }));
    }),
  ask: async (question) => {
    // No terminal to answer on (CI): the answer is no; --yes is the way to say yes there.
    if (!process.stdin.isTTY) return false;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(question);
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
  },
  sleep: (ms) => sleep(ms),
  now: () => Date.now(),
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});
