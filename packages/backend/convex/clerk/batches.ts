import type { OptionalRestArgs, SchedulableFunctionReference } from "convex/server";
import type { Doc, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Per transaction: far below Convex's per-mutation limits, however many rows a cascade meets. */
export const CASCADE_BATCH = 256;

/** Deletes a batch of `rows`; while more may be left, schedules `next` (which calls this again). */
export async function deleteInBatches<T extends TableNames, Next extends SchedulableFunctionReference>(
  ctx: MutationCtx,
  table: T,
  rows: { take(n: number): Promise<Doc<T>[]> },
  next: Next,
  ...args: OptionalRestArgs<Next>
): Promise<void> {
  const batch = await rows.take(CASCADE_BATCH);
  for (const row of batch) await ctx.db.delete(table, row._id);
  if (batch.length === CASCADE_BATCH) await ctx.scheduler.runAfter(0, next, ...args);
}
