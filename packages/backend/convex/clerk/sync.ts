/**
 * `pnpm sync:clerk` (and a daily cron): brings `users`, then `organizations` and `memberships`, in step with
 * Clerk's full lists, for whatever the webhook missed (a dead endpoint, a rotated secret, users from before the
 * webhook existed). A chain of scheduled steps, each a Clerk request or a few, so no step nears Convex's limits
 * and nothing a step carries grows with the instance; each run's progress and summary are kept in `syncRuns`
 * (which the script polls) and logged. Safe to run twice, and while webhooks arrive.
 *
 * This file is the driver: the steps' state, retries, the page cap and the run's record. First the secret key
 * must belong to the Clerk instance the deployment trusts (clerkApi.ts); then, for each kind, the import reads
 * Clerk's list through the webhook's rule (lists.ts), and the prune deletes the local rows the list did not
 * hold, each once Clerk confirms it gone (prune.ts).
 */
import { type Infer, v } from "convex/values";
import { internal } from "../_generated/api";
import { type ActionCtx, internalAction, internalMutation, internalQuery } from "../_generated/server";
import { checkKey, errorMessage, PAGE_SIZE, Retryable, Stop } from "./clerkApi";
import { webhookAlarm } from "./health";
import { importByOffset, importUsers } from "./lists";
import { confirmBatch, scanPage } from "./prune";
import { syncKind, syncRun, syncTotals } from "./tables";

/** Failed requests in a row (429s, 5xx, timeouts) before the run gives up and says so. */
export const MAX_RETRIES = 8;
/**
 * List pages per run. Only the import's pages can go on for as long as Clerk answers, so only they count;
 * the prune walks our own tables. 20,000 pages is 10 million users, organizations and memberships together.
 */
export const MAX_PAGES = 20_000;
const LOG = "sync:clerk";

type Totals = Infer<typeof syncTotals>;
const NO_TOTALS: Totals = { created: 0, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: 0 };

const step = v.union(
  v.object({ phase: v.literal("check") }),
  v.object({
    phase: v.literal("import"),
    kind: v.literal("users"),
    /** The ids of the last users read, oldest first: the cursor is the last, the others stand in for it. */
    after: v.array(v.string()),
  }),
  v.object({
    phase: v.literal("import"),
    kind: v.union(v.literal("organizations"), v.literal("memberships")),
    /** Where the next unseen entry should be in Clerk's list, had nothing moved; asked from `overlap` before. */
    offset: v.number(),
    overlap: v.number(),
  }),
  v.object({
    phase: v.literal("scan"),
    kind: syncKind,
    cursor: v.union(v.string(), v.null()),
    scanned: v.number(),
    /** Local rows the list did not hold, recorded in `syncUnlisted`. */
    unlisted: v.number(),
  }),
  v.object({ phase: v.literal("confirm"), kind: syncKind, left: v.number() }),
);

const runState = v.object({
  runId: v.id("syncRuns"),
  dryRun: v.boolean(),
  allowMassDelete: v.boolean(),
  /** Started by the daily cron: it logs an error when the webhook looks broken. */
  daily: v.boolean(),
  maxPages: v.number(),
  pages: v.number(),
  retries: v.number(),
  totals: syncTotals,
  step,
});
export type Run = Infer<typeof runState>;
/** What a step leads to, and the line it has to say (logged and shown by `pnpm sync:clerk`). */
export type Next = (Run | { done: Totals }) & { line?: string };

/** The run's entry point: `pnpm sync:clerk` and the cron start it with no `run`; each step schedules the next. */
export const run = internalAction({
  args: {
    dryRun: v.optional(v.boolean()),
    allowMassDelete: v.optional(v.boolean()),
    daily: v.optional(v.boolean()),
    maxPages: v.optional(v.number()),
    run: v.optional(runState),
  },
  returns: v.object({
    status: v.union(v.literal("not_configured"), v.literal("retrying"), syncRun.status),
    runId: v.union(v.id("syncRuns"), v.null()),
  }),
  handler: async (ctx, args) => {
    // Read per run, never at module load: a missing key must not break deploying everything else.
    const secretKey = process.env.CLERK_SECRET_KEY;
    if (!secretKey) {
      console.log(
        `${LOG}: skipped: CLERK_SECRET_KEY is not set on this deployment. Copy the secret key from Clerk dashboard → API keys and run \`pnpm convex env set CLERK_SECRET_KEY sk_...\`.`,
      );
      return { status: "not_configured" as const, runId: null };
    }
    const current = args.run ?? (await start(ctx, args));
    const { runId } = current;
    let next: Next;
    try {
      next = await runStep(ctx, secretKey, current);
    } catch (error) {
      if (error instanceof Retryable && current.retries < MAX_RETRIES) {
        await say(
          ctx,
          current,
          current.totals,
          `${error.message}; retrying in ${Math.ceil(error.delayMs / 1000)}s`,
        );
        const retry = { ...current, retries: current.retries + 1 };
        await ctx.scheduler.runAfter(error.delayMs, internal.clerk.sync.run, { run: retry });
        return { status: "retrying" as const, runId };
      }
      const message = `${LOG}: ${
        error instanceof Retryable
          ? `gave up after ${MAX_RETRIES + 1} failed attempts in a row at one step (${error.message}). Nothing is lost: run \`pnpm sync:clerk\` again later.`
          : errorMessage(error)
      }`;
      console.error(message);
      await end(ctx, current, "stopped", message, current.totals);
      throw new Error(message);
    }
    const { line, ...state } = next;
    const totals = "done" in state ? state.done : state.totals;
    await say(ctx, current, totals, line);
    if ("done" in state) {
      const { created, updated, deleted, unchanged, unreadable, requests } = totals;
      const message =
        `${LOG}: done${current.dryRun ? " (dry run: nothing was written)" : ""}. ` +
        `${created} created, ${updated} updated, ${deleted} deleted, ${unchanged} unchanged` +
        `${unreadable > 0 ? `, ${unreadable} unreadable` : ""}; ${requests} Clerk requests.`;
      console.log(message);
      await end(ctx, current, "done", message, totals);
      return { status: "done" as const, runId };
    }
    const pages = current.pages + (current.step.phase === "import" ? 1 : 0);
    await ctx.scheduler.runAfter(0, internal.clerk.sync.run, { run: { ...state, pages, retries: 0 } });
    return { status: "running" as const, runId };
  },
});

async function start(ctx: ActionCtx, args: Partial<Omit<Run, "runId">>): Promise<Run> {
  const dryRun = args.dryRun ?? false;
  const runId = await ctx.runMutation(internal.clerk.sync.begin, { dryRun, daily: args.daily ?? false });
  console.log(`${LOG}: started${dryRun ? " (dry run)" : ""}`);
  return {
    runId,
    dryRun,
    allowMassDelete: args.allowMassDelete ?? false,
    daily: args.daily ?? false,
    maxPages: args.maxPages ?? MAX_PAGES,
    pages: 0,
    retries: 0,
    totals: NO_TOTALS,
    step: { phase: "check" },
  };
}

async function runStep(ctx: ActionCtx, secretKey: string, current: Run): Promise<Next> {
  const at = current.step;
  switch (at.phase) {
    case "check": {
      await checkKey(secretKey);
      const totals = { ...current.totals, requests: current.totals.requests + 2 };
      return { ...current, totals, step: { phase: "import", kind: "users", after: [] } };
    }
    case "import":
      if (current.pages >= current.maxPages) {
        throw new Stop(
          `stopped after reading ${current.maxPages} pages of Clerk's lists, the most one run reads (MAX_PAGES in convex/clerk/sync.ts: ${MAX_PAGES * PAGE_SIZE} users, organizations and memberships together at Clerk's full page size). Nothing more was deleted. If this instance is that large, raise MAX_PAGES; otherwise Clerk's answers may be going round in circles: run \`pnpm sync:clerk\` again, and report it if it happens twice.`,
        );
      }
      return at.kind === "users"
        ? importUsers(ctx, secretKey, current, at)
        : importByOffset(ctx, secretKey, current, at);
    case "scan":
      return scanPage(ctx, current, at);
    case "confirm":
      return confirmBatch(ctx, secretKey, current, at);
  }
}

/** Logs a step's line (if any) and records the run's counts with it. */
async function say(ctx: ActionCtx, current: Run, totals: Totals, line?: string) {
  const message = line === undefined ? undefined : `${LOG}: ${line}`;
  if (message !== undefined) console.log(message);
  await ctx.runMutation(internal.clerk.sync.record, {
    runId: current.runId,
    status: "running",
    totals,
    message,
  });
}

/** Ends the run's record; a daily run that had to repair anything says the webhook looks broken. */
async function end(
  ctx: ActionCtx,
  current: Run,
  status: "done" | "stopped",
  message: string,
  totals: Totals,
) {
  await ctx.runMutation(internal.clerk.sync.record, { runId: current.runId, status, message, totals });
  if (!current.daily || current.dryRun) return;
  const alarm = webhookAlarm(totals, await ctx.runQuery(internal.clerk.health.report, {}));
  if (alarm !== null) console.error(`${LOG}: ${alarm}`);
}

// The run's record: what `pnpm sync:clerk` polls and prints, and what the health report reads.

export const begin = internalMutation({
  args: { dryRun: v.boolean(), daily: v.boolean() },
  returns: v.id("syncRuns"),
  handler: async (ctx, { dryRun, daily }) =>
    await ctx.db.insert("syncRuns", {
      dryRun,
      daily,
      status: "running",
      message: `${LOG}: started`,
      totals: NO_TOTALS,
    }),
});

export const record = internalMutation({
  args: {
    runId: v.id("syncRuns"),
    status: syncRun.status,
    totals: syncTotals,
    message: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, { runId, status, totals, message }) => {
    await ctx.db.patch("syncRuns", runId, { status, totals, ...(message === undefined ? {} : { message }) });
    if (status !== "running") await ctx.scheduler.runAfter(0, internal.clerk.sync.forget, { runId });
    return null;
  },
});

/** The ids a finished run listed, or did not, are needed no more; removed in batches. */
export const forget = internalMutation({
  args: { runId: v.id("syncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const listed = await ctx.db
      .query("syncListed")
      .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId))
      .take(1000);
    const unlisted = await ctx.db
      .query("syncUnlisted")
      .withIndex("by_run_id_and_kind", (q) => q.eq("runId", runId))
      .take(1000 - listed.length);
    for (const row of listed) await ctx.db.delete("syncListed", row._id);
    for (const row of unlisted) await ctx.db.delete("syncUnlisted", row._id);
    if (listed.length + unlisted.length === 1000)
      await ctx.scheduler.runAfter(0, internal.clerk.sync.forget, { runId });
    return null;
  },
});

/** What `pnpm sync:clerk` shows while it waits: the run's status, counts and latest line. */
export const status = internalQuery({
  args: { runId: v.id("syncRuns") },
  returns: v.union(v.null(), v.object(syncRun)),
  handler: async (ctx, { runId }) => {
    const found = await ctx.db.get("syncRuns", runId);
    return found === null
      ? null
      : { dryRun: found.dryRun, status: found.status, message: found.message, totals: found.totals };
  },
});
