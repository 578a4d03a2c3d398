/**
 * The reconcile's prune (sync.ts drives it), once a list is read. The local rows created before the run began
 * that it did not list are the candidates, kept in `syncUnlisted` (no argument or document may hold more than
 * 8,192 of them). If they are more than 10% of the rows (and more than 10), the run stops and asks for
 * `--allow-mass-delete` before asking Clerk anything. Then each is confirmed alone and deleted through the
 * webhook's deletion: a user or an organization on a 404 for its id, a membership when its organization lists
 * none for that user (or answers 404). Any other answer means Clerk's list was incomplete: the run stops.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { type ActionCtx, internalMutation, internalQuery, type MutationCtx } from "../_generated/server";
import { confirmGone, type Kind, Stop } from "./clerkApi";
import { membershipOf } from "./identity";
import { applyMembership, applyOrganizationDeletion } from "./orgs";
import type { Next, Run } from "./sync";
import { syncKind } from "./tables";
import { applyClerkDeletion } from "./users";

/** Rows written in the last minute before a run are left for the next one: Clerk's list may not show them yet. */
export const RECENT_MS = 60_000;
/** Local rows read per step: each with one index lookup in `syncListed`. */
const SCAN_PAGE = 500;
/** Candidates confirmed (one Clerk request each) and deleted per step. */
const CONFIRM_BATCH = 16;
/** A run that would delete more rows than this share (and more than MASS_DELETE_MIN) asks first. */
const MASS_DELETE_SHARE = 0.1;
const MASS_DELETE_MIN = 10;

const NEXT_KIND = { users: "organizations", organizations: "memberships", memberships: null } as const;

/** The next kind's import, or the end of the run. */
function nextKind(current: Run, totals: Run["totals"], done: Kind): Next {
  const kind = NEXT_KIND[done];
  if (kind === null) return { done: totals };
  return { ...current, totals, step: { phase: "import", kind, offset: 0, overlap: 0 } };
}

export async function scanPage(
  ctx: ActionCtx,
  current: Run,
  at: Extract<Run["step"], { phase: "scan" }>,
): Promise<Next> {
  const { kind } = at;
  const page = await ctx.runMutation(internal.clerk.prune.recordUnlisted, {
    runId: current.runId,
    kind,
    cursor: at.cursor,
  });
  const scanned = at.scanned + page.scanned;
  const unlisted = at.unlisted + page.unlisted;
  if (!page.isDone) return { ...current, step: { ...at, cursor: page.continueCursor, scanned, unlisted } };
  // The same guard for every kind: a list that came back short should not empty a table.
  if (unlisted > MASS_DELETE_MIN && unlisted > scanned * MASS_DELETE_SHARE && !current.allowMassDelete) {
    throw new Stop(
      `stopped before deleting: ${unlisted} of ${scanned} ${kind} are gone from Clerk's list, more than ${MASS_DELETE_SHARE * 100}%. If that is right (you deleted them in Clerk), run \`pnpm sync:clerk --allow-mass-delete\`.`,
    );
  }
  if (unlisted === 0) return nextKind(current, current.totals, kind);
  const line = `${kind}: ${unlisted} of ${scanned} are not in Clerk's list; asking Clerk about each`;
  return { ...current, step: { phase: "confirm", kind, left: unlisted }, line };
}

export async function confirmBatch(
  ctx: ActionCtx,
  key: string,
  current: Run,
  at: Extract<Run["step"], { phase: "confirm" }>,
): Promise<Next> {
  const { kind } = at;
  const batch = await ctx.runQuery(internal.clerk.prune.nextUnlisted, {
    runId: current.runId,
    kind,
    limit: CONFIRM_BATCH,
  });
  for (const { clerkId } of batch) {
    // Deleted only on Clerk's own word about that one id.
    const answer = await confirmGone(key, kind, clerkId);
    if (answer !== true) {
      throw new Stop(
        `stopped: Clerk's list left out ${clerkId}, but ${answer} does not say it is gone: the list may be incomplete. Nothing more was deleted; run \`pnpm sync:clerk\` again later.`,
      );
    }
  }
  // One organization per transaction: its deletion schedules the batches of what belonged to it.
  const ids = batch.map((row) => row._id);
  const chunks = kind === "organizations" ? ids.map((id) => [id]) : [ids];
  let deleted = 0;
  for (const chunk of chunks) {
    deleted += await ctx.runMutation(internal.clerk.prune.deleteConfirmed, {
      ids: chunk,
      dryRun: current.dryRun,
    });
  }
  const left = Math.max(0, at.left - batch.length);
  const { requests } = current.totals;
  const totals = {
    ...current.totals,
    requests: requests + batch.length,
    deleted: current.totals.deleted + deleted,
  };
  const line = `${kind}: ${deleted} deleted, ${left} left to delete`;
  if (batch.length < CONFIRM_BATCH || left === 0) return { ...nextKind(current, totals, kind), line };
  return { ...current, totals, step: { ...at, left }, line };
}

/**
 * Records the next page of local rows that the run did not list, among those written before it began: one
 * written during the run may be missing from Clerk's list without being gone (a `created_at` set in the past).
 */
export const recordUnlisted = internalMutation({
  args: { runId: v.id("syncRuns"), kind: syncKind, cursor: v.union(v.string(), v.null()) },
  returns: v.object({
    scanned: v.number(),
    unlisted: v.number(),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { runId, kind, cursor }) => {
    const before = ((await ctx.db.get("syncRuns", runId))?._creationTime ?? 0) - RECENT_MS;
    const { page, continueCursor, isDone } = await ctx.db
      .query(kind)
      .withIndex("by_creation_time", (q) => q.lt("_creationTime", before))
      .paginate({ cursor, numItems: SCAN_PAGE });
    let unlisted = 0;
    for (const row of page) {
      // The id the import listed it by (lists.ts): Clerk's id, or a membership's `org/user`.
      const clerkId =
        "clerkId" in row
          ? row.clerkId
          : "clerkUserId" in row
            ? `${row.clerkOrgId}/${row.clerkUserId}`
            : row.clerkOrgId;
      const listed = await ctx.db
        .query("syncListed")
        .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId).eq("clerkId", clerkId))
        .first();
      if (listed !== null) continue;
      unlisted += 1;
      // A membership goes with the generation seen here: a re-join after Clerk's answer is newer, and stays.
      const generation = "clerkCreatedAt" in row ? { clerkCreatedAt: row.clerkCreatedAt } : {};
      await ctx.db.insert("syncUnlisted", { runId, kind, clerkId, ...generation });
    }
    return { scanned: page.length, unlisted, continueCursor, isDone };
  },
});

export const nextUnlisted = internalQuery({
  args: { runId: v.id("syncRuns"), kind: syncKind, limit: v.number() },
  returns: v.array(v.object({ _id: v.id("syncUnlisted"), clerkId: v.string() })),
  handler: async (ctx, { runId, kind, limit }) => {
    const rows = await ctx.db
      .query("syncUnlisted")
      .withIndex("by_run_id_and_kind", (q) => q.eq("runId", runId).eq("kind", kind))
      .take(limit);
    return rows.map(({ _id, clerkId }) => ({ _id, clerkId }));
  },
});

/** The webhook's deletion (row, app data, tombstone) of candidates Clerk confirmed gone; how many it deleted. */
export const deleteConfirmed = internalMutation({
  args: { ids: v.array(v.id("syncUnlisted")), dryRun: v.boolean() },
  returns: v.number(),
  handler: async (ctx, { ids, dryRun }) => {
    let deleted = 0;
    for (const id of ids) {
      const row = await ctx.db.get("syncUnlisted", id);
      if (row === null) continue;
      await ctx.db.delete("syncUnlisted", id);
      if (await deleteOne(ctx, row, dryRun)) deleted += 1;
    }
    return deleted;
  },
});

async function deleteOne(ctx: MutationCtx, row: Doc<"syncUnlisted">, dryRun: boolean): Promise<boolean> {
  const { kind, clerkId } = row;
  if (kind === "users") return (await applyClerkDeletion(ctx, clerkId, { dryRun })) === "deleted";
  if (kind === "organizations")
    return (await applyOrganizationDeletion(ctx, clerkId, { dryRun })) === "deleted";
  const [clerkOrgId = "", clerkUserId = ""] = clerkId.split("/");
  const stored = await membershipOf(ctx, clerkOrgId, clerkUserId);
  if (stored === null) return false;
  // A deletion of the generation the run asked Clerk about, as Clerk's `organizationMembership.deleted` is.
  const { role, clerkUpdatedAt } = stored;
  const membership = {
    clerkOrgId,
    clerkUserId,
    role,
    clerkCreatedAt: row.clerkCreatedAt ?? 0,
    clerkUpdatedAt,
  };
  return (await applyMembership(ctx, { deleted: true, membership }, { dryRun })) === "deleted";
}
