/** The log of processed svix messages: how a redelivery is recognised, and when a webhook last arrived. */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import { internalMutation, type MutationCtx, type QueryCtx } from "./_generated/server";

type Outcome = Doc<"webhookEvents">["outcome"];

export async function findWebhookEvent(ctx: QueryCtx, svixId: string): Promise<Doc<"webhookEvents"> | null> {
  return await ctx.db
    .query("webhookEvents")
    .withIndex("by_svix_id", (q) => q.eq("svixId", svixId))
    .unique();
}

export async function recordWebhookEvent(
  ctx: MutationCtx,
  entry: { svixId: string; type: string; outcome: Outcome },
): Promise<void> {
  await ctx.db.insert("webhookEvents", { ...entry, receivedAt: Date.now() });
}

/** When the newest logged message arrived, or null before the first one. */
export async function lastWebhookAt(ctx: QueryCtx): Promise<number | null> {
  const newest = await ctx.db.query("webhookEvents").withIndex("by_received_at").order("desc").first();
  return newest?.receivedAt ?? null;
}

/** Far longer than Svix's retry schedule (about 28 hours in all), leaving weeks for a manual replay. */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Deletes per transaction: far below Convex's per-mutation write limits, whatever the backlog. */
export const PRUNE_BATCH = 256;

export const prune = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const cutoff = Date.now() - RETENTION_MS;
    const expired = await ctx.db
      .query("webhookEvents")
      .withIndex("by_received_at", (q) => q.lt("receivedAt", cutoff))
      .take(PRUNE_BATCH);
    for (const entry of expired) await ctx.db.delete("webhookEvents", entry._id);
    // A full batch may mean more are left: continue in a fresh transaction rather than a bigger one.
    if (expired.length === PRUNE_BATCH) await ctx.scheduler.runAfter(0, internal.webhookEvents.prune, {});
    return expired.length;
  },
});
