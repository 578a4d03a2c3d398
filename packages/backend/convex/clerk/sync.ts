/**
 * `pnpm sync:clerk` (and a daily cron): brings `users`, then `organizations` and `memberships`, in step with
 * Clerk's full lists, for whatever the webhook missed (a dead endpoint, a rotated secret, users from before the
 * webhook existed). It runs as a chain of scheduled steps, one Clerk request each (a few for a prune batch), so
 * no step nears Convex's limits, and nothing a step carries grows with the instance. Each run has a `syncRuns`
 * row with its progress and summary, which the script polls; the same lines go to the deployment's logs. Safe
 * to run twice, and while webhooks arrive.
 *
 * This file is the driver: the steps' state, retries, the page cap and the run's record. Each kind goes
 * through: 0. Check (once): the secret key must belong to the Clerk instance the deployment trusts
 * (CLERK_JWT_ISSUER_DOMAIN), as another instance's key would list none of your users. 1. Import (lists.ts):
 * Clerk's list, page by page, each entry through the webhook's rule. 2. Prune (prune.ts): the local rows
 * Clerk no longer has, each confirmed gone by a 404, deleted in batches. Clerk's API itself: clerkApi.ts.
 */
import { type Infer, v } from "convex/values";
import { internal } from "../_generated/api";
import { type ActionCtx, internalAction, internalMutation, internalQuery } from "../_generated/server";
import { errorMessage, keyMatchesIssuer, PAGE_SIZE, Retryable, Stop } from "./clerkApi";
import { webhookAlarm } from "./health";
import { importByOffset, importUsers } from "./lists";
import { deleteBatch, prunePage } from "./prune";
import { syncKind, syncTotals } from "./tables";

/** Failed requests in a row (429s, 5xx, timeouts) before the run gives up and says so. */
export const MAX_RETRIES = 8;
/**
 * List pages per run. Only the import's steps can go on for as long as Clerk answers, so only they are
 * counted: the prune walks our own tables and deletes what it recorded, both finite. 20,000 pages is 10
 * million users, organizations and memberships together at Clerk's 500 a page.
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
    /** Where the next unseen entry should be in Clerk's list, had nothing moved. */
    offset: v.number(),
    overlap: v.number(),
    /** The last entries of the previous page: one of them must be in the next (when overlap > 0). */
    lastIds: v.array(v.string()),
  }),
  v.object({
    phase: v.literal("prune"),
    kind: syncKind,
    /** Rows created from here on are left for the next run; fixed, so the index range stays one query. */
    before: v.number(),
    cursor: v.union(v.string(), v.null()),
    scanned: v.number(),
    /** How many ids Clerk confirmed gone (the ids wait in `syncGone`), deleted once the share is known. */
    gone: v.number(),
  }),
  v.object({ phase: v.literal("delete"), kind: syncKind, left: v.number() }),
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

const runStatus = v.union(v.literal("running"), v.literal("done"), v.literal("stopped"));

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
    status: v.union(v.literal("not_configured"), v.literal("retrying"), runStatus),
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
        await say(ctx, current, `${error.message}; retrying in ${Math.ceil(error.delayMs / 1000)}s`);
        await ctx.scheduler.runAfter(error.delayMs, internal.clerk.sync.run, {
          run: { ...current, retries: current.retries + 1 },
        });
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
    if (line !== undefined)
      await say(ctx, { ...current, totals: "done" in state ? state.done : state.totals }, line);
    if ("done" in state) {
      const message = summary(current.dryRun, state.done);
      console.log(message);
      await end(ctx, current, "done", message, state.done);
      return { status: "done" as const, runId };
    }
    if (line === undefined)
      await ctx.runMutation(internal.clerk.sync.progress, { runId, totals: state.totals });
    const pages = current.pages + (current.step.phase === "import" ? 1 : 0);
    await ctx.scheduler.runAfter(0, internal.clerk.sync.run, { run: { ...state, pages, retries: 0 } });
    return { status: "running" as const, runId };
  },
});

async function start(
  ctx: ActionCtx,
  args: { dryRun?: boolean; allowMassDelete?: boolean; daily?: boolean; maxPages?: number },
): Promise<Run> {
  const dryRun = args.dryRun ?? false;
  const runId = await ctx.runMutation(internal.clerk.sync.begin, { dryRun });
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

function runStep(ctx: ActionCtx, secretKey: string, current: Run): Promise<Next> {
  const at = current.step;
  switch (at.phase) {
    case "check":
      return checkInstance(secretKey, current);
    case "import":
      if (current.pages >= current.maxPages) {
        throw new Stop(
          `stopped after reading ${current.maxPages} pages of Clerk's lists, the most one run reads (MAX_PAGES in convex/clerk/sync.ts: ${MAX_PAGES * PAGE_SIZE} users, organizations and memberships together at Clerk's full page size). Nothing was deleted. If this instance is that large, raise MAX_PAGES; otherwise Clerk's answers may be going round in circles: run \`pnpm sync:clerk\` again, and report it if it happens twice.`,
        );
      }
      return at.kind === "users"
        ? importUsers(ctx, secretKey, current, at)
        : importByOffset(ctx, secretKey, current, at);
    case "prune":
      return prunePage(ctx, secretKey, current, at);
    case "delete":
      return deleteBatch(ctx, current, at);
  }
}

/** Ends the run's record; a daily run that had to repair anything says the webhook looks broken. */
async function end(
  ctx: ActionCtx,
  current: Run,
  status: "done" | "stopped",
  message: string,
  totals: Totals,
) {
  await ctx.runMutation(internal.clerk.sync.finish, { runId: current.runId, status, message, totals });
  if (!current.daily || current.dryRun) return;
  const alarm = webhookAlarm(totals, await ctx.runQuery(internal.clerk.health.report, {}));
  if (alarm !== null) console.error(`${LOG}: ${alarm}`);
}

function summary(dryRun: boolean, done: Totals): string {
  const { created, updated, deleted, unchanged, unreadable, requests } = done;
  return (
    `${LOG}: done${dryRun ? " (dry run: nothing was written)" : ""}. ` +
    `${created} created, ${updated} updated, ${deleted} deleted, ${unchanged} unchanged` +
    `${unreadable > 0 ? `, ${unreadable} unreadable` : ""}; ${requests} Clerk requests.`
  );
}

async function checkInstance(secretKey: string, current: Run): Promise<Next> {
  const issuer = process.env.CLERK_JWT_ISSUER_DOMAIN?.replace(/\/+$/, "");
  if (!issuer) throw new Stop("CLERK_JWT_ISSUER_DOMAIN is not set on this deployment.");
  if (!(await keyMatchesIssuer(secretKey, issuer))) {
    throw new Stop(
      `stopped before changing anything: CLERK_SECRET_KEY belongs to another Clerk instance than ${issuer} (CLERK_JWT_ISSUER_DOMAIN), for example a development key on a production deployment. Set the secret key of that instance: pnpm convex env set CLERK_SECRET_KEY sk_...`,
    );
  }
  const totals = { ...current.totals, requests: current.totals.requests + 2 };
  return { ...current, totals, step: { phase: "import", kind: "users", after: [] } };
}

// The run's record: what `pnpm sync:clerk` polls and prints, and what the health report reads.

export const begin = internalMutation({
  args: { dryRun: v.boolean() },
  returns: v.id("syncRuns"),
  handler: async (ctx, { dryRun }) =>
    await ctx.db.insert("syncRuns", {
      dryRun,
      status: "running",
      message: `${LOG}: started`,
      totals: NO_TOTALS,
    }),
});

export const progress = internalMutation({
  args: { runId: v.id("syncRuns"), totals: syncTotals, message: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { runId, totals, message }) => {
    await ctx.db.patch("syncRuns", runId, { totals, ...(message === undefined ? {} : { message }) });
    return null;
  },
});

export const finish = internalMutation({
  args: { runId: v.id("syncRuns"), status: runStatus, message: v.string(), totals: syncTotals },
  returns: v.null(),
  handler: async (ctx, { runId, status, message, totals }) => {
    await ctx.db.patch("syncRuns", runId, { status, message, totals });
    await ctx.scheduler.runAfter(0, internal.clerk.sync.forget, { runId });
    return null;
  },
});

/** The ids a finished run listed or found gone are needed no more; removed in batches. */
export const forget = internalMutation({
  args: { runId: v.id("syncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const listed = await ctx.db
      .query("syncListed")
      .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId))
      .take(1000);
    const gone = await ctx.db
      .query("syncGone")
      .withIndex("by_run_id_and_kind", (q) => q.eq("runId", runId))
      .take(1000 - listed.length);
    for (const row of listed) await ctx.db.delete("syncListed", row._id);
    for (const row of gone) await ctx.db.delete("syncGone", row._id);
    if (listed.length + gone.length === 1000)
      await ctx.scheduler.runAfter(0, internal.clerk.sync.forget, { runId });
    return null;
  },
});

/** What `pnpm sync:clerk` shows while it waits: the run's status, counts and latest line. */
export const status = internalQuery({
  args: { runId: v.id("syncRuns") },
  returns: v.union(
    v.null(),
    v.object({ dryRun: v.boolean(), status: runStatus, message: v.string(), totals: syncTotals }),
  ),
  handler: async (ctx, { runId }) => {
    const found = await ctx.db.get("syncRuns", runId);
    return found === null
      ? null
      : { dryRun: found.dryRun, status: found.status, message: found.message, totals: found.totals };
  },
});

async function say(ctx: ActionCtx, current: Run, line: string): Promise<void> {
  const message = `${LOG}: ${line}`;
  console.log(message);
  await ctx.runMutation(internal.clerk.sync.progress, {
    runId: current.runId,
    totals: current.totals,
    message,
  });
}
