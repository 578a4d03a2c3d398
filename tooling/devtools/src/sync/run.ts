/**
 * `pnpm sync:clerk`: starts convex/clerk/sync.ts on the deployment, then polls the run's record
 * (`clerk/sync:status`) and prints its progress and summary here, so nobody has to read the deployment's logs.
 * With `--prod` (and without `--dry-run`) it first runs a dry run, shows what would change and asks before
 * changing production (`--yes` answers for you). It stops waiting when the run makes no progress for
 * STALL_MS, or after DEADLINE_MS. Exit code: 0 done, 1 stopped, refused or stuck, 2 not configured.
 */

export type SyncOptions = { dryRun: boolean; prod: boolean; yes: boolean; allowMassDelete: boolean };

export type SyncDeps = {
  /** `convex <args>`: its exit status and standard output (the function's JSON result). */
  convex: (args: string[]) => Promise<{ status: number; stdout: string; stderr: string }>;
  ask: (question: string) => Promise<boolean>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (line: string) => void;
  error: (line: string) => void;
};

type RunStatus = {
  status: "running" | "done" | "stopped";
  message: string;
  dryRun: boolean;
  totals?: unknown;
};

const USAGE = "pnpm sync:clerk [--dry-run] [--prod [--yes]] [--allow-mass-delete]";
const POLL_MS = 2000;
/** No change in the run's counts or last line for this long: it looks stuck. Longer than any Retry-After wait (10 min). */
export const STALL_MS = 15 * 60 * 1000;
/** The longest wait for one run: a 5-million-user instance takes a few hours. */
export const DEADLINE_MS = 12 * 60 * 60 * 1000;
const LOOK =
  "Check the deployment's logs (Convex dashboard → Logs, or `pnpm convex logs`) for clerk/sync:run, then run `pnpm sync:clerk` again: a run is safe to repeat.";

export function parseSyncArgs(argv: string[]): SyncOptions | string {
  const args = argv.filter((arg) => arg !== "--");
  const known = ["--dry-run", "--prod", "--yes", "--allow-mass-delete"];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) return `Unknown option ${JSON.stringify(unknown[0])}. Usage: ${USAGE}`;
  return {
    dryRun: args.includes("--dry-run"),
    prod: args.includes("--prod"),
    yes: args.includes("--yes"),
    allowMassDelete: args.includes("--allow-mass-delete"),
  };
}

export async function runSync(options: SyncOptions, deps: SyncDeps): Promise<number> {
  const target = options.prod ? ["--prod"] : [];
  const where = options.prod ? "production" : "your development deployment";

  async function call(fn: string, args: object): Promise<unknown> {
    const result = await deps.convex(["run", ...target, fn, JSON.stringify(args)]);
    if (result.status !== 0) {
      throw new Error(`\`convex run ${fn}\` failed (exit ${result.status}). ${result.stderr.trim()}`.trim());
    }
    return JSON.parse(result.stdout.trim() || "null");
  }

  /** Starts a run and prints each new line of its record until it ends. */
  async function runOnce(dryRun: boolean): Promise<RunStatus | "not_configured"> {
    const started = (await call("clerk/sync:run", { dryRun, allowMassDelete: options.allowMassDelete })) as {
      status: string;
      runId: string | null;
    };
    if (started.runId === null) return "not_configured";
    const startedAt = deps.now();
    let last = "";
    let progress = "";
    let progressAt = startedAt;
    for (;;) {
      const record = (await call("clerk/sync:status", { runId: started.runId })) as RunStatus | null;
      if (record === null) throw new Error("the run's record is gone (was the deployment reset?)");
      if (record.message !== last) deps.log(record.message);
      last = record.message;
      if (record.status !== "running") return record;
      const now = deps.now();
      const seen = JSON.stringify([record.totals, record.message]);
      if (seen !== progress) [progress, progressAt] = [seen, now];
      if (now - progressAt >= STALL_MS) {
        throw new Error(
          `the run has made no progress for ${minutes(now - progressAt)}: it looks stuck. ${LOOK}`,
        );
      }
      if (now - startedAt >= DEADLINE_MS) {
        throw new Error(
          `stopped waiting after ${minutes(now - startedAt)}; the run may still be going. ${LOOK}`,
        );
      }
      await deps.sleep(POLL_MS);
    }
  }

  try {
    const confirmFirst = options.prod && !options.dryRun;
    const first = await runOnce(options.dryRun || confirmFirst);
    if (first === "not_configured") {
      deps.error(
        `sync:clerk: CLERK_SECRET_KEY is not set on ${where}. Copy the secret key from Clerk dashboard → API keys and run \`pnpm convex env set${options.prod ? " --prod" : ""} CLERK_SECRET_KEY sk_...\`.`,
      );
      return 2;
    }
    if (first.status === "stopped") return 1;
    if (!confirmFirst) return 0;

    deps.log("");
    deps.log(`That was a dry run against production: nothing was written. ${first.message}`);
    if (!options.yes && !(await deps.ask("Apply these changes to production now? [y/N] "))) {
      deps.log("Nothing was changed.");
      return 1;
    }
    const applied = await runOnce(false);
    return applied !== "not_configured" && applied.status === "done" ? 0 : 1;
  } catch (error) {
    deps.error(`sync:clerk: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`;
