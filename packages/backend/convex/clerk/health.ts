/**
 * Whether Clerk's webhook arrives, from what a broken one leaves behind: rows made from sign-in tokens that
 * no Clerk version reached, and repairs the reconcile had to make. `pnpm setup:check` prints the report (and
 * fails when the webhook looks stalled); the daily reconcile logs an error line from it.
 */
import { TOKEN_VERSION, WEBHOOK_PATH } from "@repo/shared/config";
import { type Infer, v } from "convex/values";
import { internalQuery } from "../_generated/server";
import { syncRun, type syncTotals } from "./tables";

/** A webhook normally lands within seconds; a token's row without one after this long says it does not. */
export const STRANDED_AFTER_MS = 10 * 60 * 1000;
/** Rows counted at most: enough to tell "some" from "all", in one bounded read. */
export const STRANDED_CAP = 1000;

const healthReport = v.object({
  /** Users created from tokens more than ten minutes ago that no webhook has reached. */
  stranded: v.object({
    count: v.number(),
    /** More than STRANDED_CAP: `count` is the cap. */
    more: v.boolean(),
    oldestAgeMs: v.union(v.number(), v.null()),
  }),
  lastReconcile: v.union(
    v.null(),
    v.object({
      startedAt: v.number(),
      ...syncRun,
      /** Rows the reconcile created, updated or deleted: what a working webhook would have done. */
      repairs: v.number(),
    }),
  ),
  stalled: v.boolean(),
});
export type HealthReport = Infer<typeof healthReport>;

export const report = internalQuery({
  args: {},
  returns: healthReport,
  handler: async (ctx) => {
    const now = Date.now();
    // The index holds `_creationTime` after `clerkUpdatedAt`: the token rows older than ten minutes, oldest first.
    const stranded = await ctx.db
      .query("users")
      .withIndex("by_clerk_updated_at", (q) =>
        q.eq("clerkUpdatedAt", TOKEN_VERSION).lt("_creationTime", now - STRANDED_AFTER_MS),
      )
      .take(STRANDED_CAP + 1);
    const last = await ctx.db.query("syncRuns").order("desc").first();
    const lastReconcile =
      last === null
        ? null
        : {
            startedAt: last._creationTime,
            status: last.status,
            dryRun: last.dryRun,
            message: last.message,
            repairs: last.dryRun ? 0 : repairsOf(last.totals),
            totals: last.totals,
          };
    const oldest = stranded[0];
    return {
      stranded: {
        count: Math.min(stranded.length, STRANDED_CAP),
        more: stranded.length > STRANDED_CAP,
        oldestAgeMs: oldest === undefined ? null : now - oldest._creationTime,
      },
      lastReconcile,
      // A run by hand repairs on purpose (the first import of users from before the webhook): only the daily
      // run's repairs are a symptom.
      stalled: stranded.length > 0 || (last?.daily === true && (lastReconcile?.repairs ?? 0) > 0),
    };
  },
});

const repairsOf = (totals: Infer<typeof syncTotals>) => totals.created + totals.updated + totals.deleted;

/** The daily reconcile's error line, or null when the webhook did all the work itself. */
export function webhookAlarm(totals: Infer<typeof syncTotals>, health: HealthReport): string | null {
  const repairs = repairsOf(totals);
  const { count, more, oldestAgeMs } = health.stranded;
  if (repairs === 0 && count === 0) return null;
  const { created, updated, deleted } = totals;
  const oldest = oldestAgeMs === null ? "" : ` (the oldest for ${Math.round(oldestAgeMs / 60_000)} minutes)`;
  return (
    `ERROR: Clerk's webhook looks broken. This run repaired ${repairs} rows a webhook should have written (${created} created, ${updated} updated, ${deleted} deleted); ` +
    `${count}${more ? "+" : ""} users made from sign-in tokens have had no webhook for over 10 minutes${oldest}. ` +
    `Fix: in the Clerk dashboard → Webhooks, check the endpoint: its URL (this deployment's .convex.site URL followed by ${WEBHOOK_PATH}), its subscribed events and its failed deliveries, and that CLERK_WEBHOOK_SECRET is its signing secret; then run \`pnpm setup:check\`.`
  );
}
