/**
 * The reconcile's second half (sync.ts drives it): once a list is read, it pages through the local rows created
 * before the prune began and asks Clerk about exactly those ids. An answer holding an id not asked for stops
 * the run: Clerk did not answer the question. Each id left out (even one this run listed: deleted since) is
 * gone only on Clerk's own word about that one id, a 404; any other answer stops the run. The ids go to
 * `syncGone`; if more than 10% of the rows (and more than 10) would go, the run stops and asks for
 * `--allow-mass-delete`; otherwise they are deleted in batches, through the webhook's deletion.
 *
 * Organizations: the `organization_id` lookup and `GET /v1/organizations/{id}`. Memberships: Clerk has no
 * lookup of one, so one this run did not list is gone only when its organization's list, filtered by that
 * user, holds none, or the organization answers 404.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { type ActionCtx, internalMutation, internalQuery, type MutationCtx } from "../_generated/server";
import { confirmGone, ID_FILTER, type Kind, listClerk, ORGS_DISABLED, Stop } from "./clerkApi";
import { membershipOf } from "./identity";
import { applyMembership, applyOrganizationDeletion } from "./orgs";
import type { Next, Run } from "./sync";
import { syncKind } from "./tables";
import { applyClerkDeletion } from "./users";

/** Clerk's limit for the `user_id` and `organization_id` filters. */
const CHECK_BATCH = 100;
/** Rows deleted per step: each deletion also removes a batch of the row's app data. */
const DELETE_BATCH = 16;
/** A run that would delete more rows than this share (and more than MASS_DELETE_MIN) asks first. */
const MASS_DELETE_SHARE = 0.1;
const MASS_DELETE_MIN = 10;

const NEXT_KIND = { users: "organizations", organizations: "memberships", memberships: null } as const;

/** The next kind's import, or the end of the run. */
function nextKind(current: Run, totals: Run["totals"], done: Kind): Next {
  const kind = NEXT_KIND[done];
  if (kind === null) return { done: totals };
  return { ...current, totals, step: { phase: "import", kind, offset: 0, overlap: 0, lastIds: [] } };
}

type PruneStep = Extract<Run["step"], { phase: "prune" }>;

export async function prunePage(
  ctx: ActionCtx,
  secretKey: string,
  current: Run,
  at: PruneStep,
): Promise<Next> {
  const { kind } = at;
  const local = await ctx.runQuery(internal.clerk.prune.localRows, {
    kind,
    before: at.before,
    paginationOpts: { cursor: at.cursor, numItems: CHECK_BATCH },
  });
  const totals = { ...current.totals };
  const gone: string[] = [];
  for (const id of await missingFromClerk(ctx, secretKey, current.runId, kind, local.ids, totals)) {
    totals.requests += 1;
    // Deleted for good only on Clerk's own word about that one id.
    const lookup = await confirmGone(secretKey, kind, id);
    if (lookup !== "gone") {
      throw new Stop(
        `stopped: ${id} was left out of Clerk's answers, but ${lookup} shows it exists. Nothing more was deleted; run \`pnpm sync:clerk\` again later.`,
      );
    }
    // A membership goes with the generation Clerk was asked about: a re-join meanwhile is newer, and stays.
    gone.push(kind === "memberships" ? `${id}/${local.generations[local.ids.indexOf(id)]}` : id);
  }
  if (gone.length > 0 && !current.dryRun) {
    await ctx.runMutation(internal.clerk.prune.recordGone, { runId: current.runId, kind, ids: gone });
  }
  const scanned = at.scanned + local.ids.length;
  const goneCount = at.gone + gone.length;
  if (!local.isDone) {
    return { ...current, totals, step: { ...at, cursor: local.continueCursor, scanned, gone: goneCount } };
  }
  // The same guard for every kind: a wrong answer should not empty a table.
  if (goneCount > MASS_DELETE_MIN && goneCount > scanned * MASS_DELETE_SHARE && !current.allowMassDelete) {
    throw new Stop(
      `stopped before deleting: ${goneCount} of ${scanned} ${kind} are gone from Clerk, more than ${MASS_DELETE_SHARE * 100}%. If that is right (you deleted them in Clerk), run \`pnpm sync:clerk --allow-mass-delete\`.`,
    );
  }
  if (current.dryRun || goneCount === 0) {
    return nextKind(current, { ...totals, deleted: totals.deleted + goneCount }, kind);
  }
  return { ...current, totals, step: { phase: "delete", kind, left: goneCount } };
}

/** The ids among `ids` that Clerk's lists do not hold now; each still has to be confirmed gone. */
async function missingFromClerk(
  ctx: ActionCtx,
  secretKey: string,
  runId: Run["runId"],
  kind: Kind,
  ids: string[],
  totals: Run["totals"],
): Promise<string[]> {
  if (ids.length === 0) return [];
  if (kind === "memberships") {
    // No lookup by id exists for memberships: each one this run did not list is asked about.
    const listed = new Set(await ctx.runQuery(internal.clerk.prune.listedAmong, { runId, clerkIds: ids }));
    return ids.filter((id) => !listed.has(id));
  }
  totals.requests += 1;
  const found = await listClerk(secretKey, kind, { [ID_FILTER[kind]]: ids, limit: CHECK_BATCH });
  if (found === ORGS_DISABLED) throw new Stop("Clerk answered that organizations are not enabled.");
  const asked = new Set(ids);
  const unasked = found.filter((row) => !asked.has(row.id)).map((row) => row.id);
  if (unasked.length > 0) {
    throw new Stop(
      `stopped: asked Clerk about ${asked.size} ${kind} ids, it answered ${found.length}, ${unasked.length} of them not asked for (such as ${unasked[0]}): it did not apply the ${ID_FILTER[kind]} filter. Nothing more was deleted.`,
    );
  }
  const existing = new Set(found.map((row) => row.id));
  return ids.filter((id) => !existing.has(id));
}

type DeleteStep = Extract<Run["step"], { phase: "delete" }>;

export async function deleteBatch(ctx: ActionCtx, current: Run, at: DeleteStep): Promise<Next> {
  const { kind } = at;
  let taken = 0;
  let deleted = 0;
  // One organization per transaction: its deletion schedules the batches of what belonged to it.
  const limit = kind === "organizations" ? 1 : DELETE_BATCH;
  while (taken < DELETE_BATCH) {
    const batch = await ctx.runMutation(internal.clerk.prune.deleteGone, {
      runId: current.runId,
      kind,
      limit,
    });
    taken += batch.taken;
    deleted += batch.deleted;
    if (batch.taken < limit) break;
  }
  const left = Math.max(0, at.left - taken);
  const totals = { ...current.totals, deleted: current.totals.deleted + deleted };
  const line = `${kind}: ${deleted} deleted, ${left} left to delete`;
  if (taken < DELETE_BATCH || left === 0) return { ...nextKind(current, totals, kind), line };
  return { ...current, totals, step: { ...at, left }, line };
}

export const recordGone = internalMutation({
  args: { runId: v.id("syncRuns"), kind: syncKind, ids: v.array(v.string()) },
  returns: v.null(),
  handler: async (ctx, { runId, kind, ids }) => {
    for (const clerkId of ids) await ctx.db.insert("syncGone", { runId, kind, clerkId });
    return null;
  },
});

/** The webhook's deletion (row, app data, tombstone) for the next ids this run found gone. */
export const deleteGone = internalMutation({
  args: { runId: v.id("syncRuns"), kind: syncKind, limit: v.number() },
  returns: v.object({ taken: v.number(), deleted: v.number() }),
  handler: async (ctx, { runId, kind, limit }) => {
    const batch = await ctx.db
      .query("syncGone")
      .withIndex("by_run_id_and_kind", (q) => q.eq("runId", runId).eq("kind", kind))
      .take(limit);
    let deleted = 0;
    for (const row of batch) {
      await ctx.db.delete("syncGone", row._id);
      if (await deleteOne(ctx, kind, row.clerkId)) deleted += 1;
    }
    return { taken: batch.length, deleted };
  },
});

async function deleteOne(ctx: MutationCtx, kind: Kind, id: string): Promise<boolean> {
  if (kind === "users") return (await applyClerkDeletion(ctx, id)) === "deleted";
  if (kind === "organizations") return (await applyOrganizationDeletion(ctx, id)) === "deleted";
  const [clerkOrgId = "", clerkUserId = "", generation = ""] = id.split("/");
  const row = await membershipOf(ctx, clerkOrgId, clerkUserId);
  if (row === null) return false;
  // A deletion of the generation the prune asked Clerk about, as Clerk's `organizationMembership.deleted`
  // is: a row that a re-join made newer since then is left alone.
  const { role, clerkUpdatedAt } = row;
  const membership = { clerkOrgId, clerkUserId, role, clerkCreatedAt: Number(generation), clerkUpdatedAt };
  return (await applyMembership(ctx, { deleted: true, membership })) === "deleted";
}

/** The local rows created before the prune began, as the ids the run lists them by. */
export const localRows = internalQuery({
  args: { kind: syncKind, before: v.number(), paginationOpts: paginationOptsValidator },
  returns: v.object({
    ids: v.array(v.string()),
    /** A membership's generation (`created_at`), in the order of `ids`; 0 for the other kinds. */
    generations: v.array(v.number()),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { kind, before, paginationOpts }) => {
    const { page, continueCursor, isDone } = await ctx.db
      .query(kind)
      .withIndex("by_creation_time", (q) => q.lt("_creationTime", before))
      .paginate(paginationOpts);
    const ids = page.map((row) =>
      "clerkId" in row
        ? row.clerkId
        : "clerkUserId" in row
          ? `${row.clerkOrgId}/${row.clerkUserId}`
          : row.clerkOrgId,
    );
    const generations = page.map((row) => ("clerkCreatedAt" in row ? row.clerkCreatedAt : 0));
    return { ids, generations, continueCursor, isDone };
  },
});

/** Which of these ids this run listed (memberships: `org/user`). */
export const listedAmong = internalQuery({
  args: { runId: v.id("syncRuns"), clerkIds: v.array(v.string()) },
  returns: v.array(v.string()),
  handler: async (ctx, { runId, clerkIds }) => {
    const listed = await Promise.all(
      clerkIds.map((clerkId) =>
        ctx.db
          .query("syncListed")
          .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId).eq("clerkId", clerkId))
          .first(),
      ),
    );
    return clerkIds.filter((_, i) => listed[i] !== null);
  },
});
