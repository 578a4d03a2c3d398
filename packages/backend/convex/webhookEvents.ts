/** The log of processed svix messages: how a redelivery is recognised, and when a webhook last arrived. */
import type { Doc } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";

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
