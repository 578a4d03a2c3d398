/**
 * The reconcile's import (sync.ts drives it): reads Clerk's lists oldest first, one page per step, and applies
 * each entry through the webhook's rule, remembering every id it lists (`syncListed`). Users are walked by
 * cursor (`starting_after`); organizations and memberships by offset, as Clerk has no cursor for them: each
 * request starts `overlap` entries early, since offsets shift when an earlier entry is deleted, and its first
 * entry must be one already listed (else it steps further back). A list ends at an empty page (a short page is
 * not the end: Clerk may cap `limit`); a page with nothing new stops the run.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { type ActionCtx, internalMutation } from "../_generated/server";
import { confirmGone, type Kind, listClerk, ORGS_DISABLED, Stop } from "./clerkApi";
import { clerkUserFields } from "./fields";
import { applyMembership, applyOrganization } from "./orgs";
import { entryFromApi } from "./parse";
import type { Next, Run } from "./sync";
import { clerkMembershipFields, clerkOrganizationFields } from "./tables";
import { applyClerkUser } from "./users";

/** How far back each offset request starts, to see the list's shift (organizations and memberships). */
export const OVERLAP = 50;
/** The users last read that stand in for the cursor when its user is deleted during the run. */
const CURSOR_BACKUPS = 20;

type Step<P> = Extract<Run["step"], P>;
const toScan = (kind: Kind): Run["step"] => ({ phase: "scan", kind, cursor: null, scanned: 0, unlisted: 0 });

export async function importUsers(ctx: ActionCtx, key: string, current: Run, at: Step<{ kind: "users" }>) {
  const cursor = at.after.at(-1);
  const page = await listClerk(key, "users", cursor === undefined ? {} : { starting_after: cursor });
  const totals = { ...current.totals, requests: current.totals.requests + 1 };
  if (page === ORGS_DISABLED) throw new Stop("Clerk answered that organizations are not enabled.");
  if (page.length === 0) {
    if (cursor === undefined) return { ...current, totals, step: toScan("users") };
    // Clerk does not say what a cursor whose user was deleted meanwhile answers: an empty page is the end
    // only while that user still exists; else read on from the user before it.
    totals.requests += 1;
    if ((await confirmGone(key, "users", cursor)) !== true)
      return { ...current, totals, step: toScan("users") };
    const after = at.after.slice(0, -1);
    if (after.length === 0) {
      throw new Stop(
        `stopped: the last ${CURSOR_BACKUPS} users this run read were deleted in Clerk during the run, so it cannot tell where Clerk's list goes on. Nothing was deleted; run \`pnpm sync:clerk\` again.`,
      );
    }
    const line = `${cursor} was deleted meanwhile: reading on from ${after.at(-1)}`;
    return { ...current, totals, step: { ...at, after }, line };
  }
  const applied = await applyPage(ctx, current, totals, "users", page);
  if (applied.fresh === 0) {
    throw new Stop(
      `stopped: asked for Clerk's users after ${cursor ?? "the start"}, it answered ${page.length} this run had already read (its list may ignore \`starting_after\`). Nothing was deleted; run \`pnpm sync:clerk\` again later.`,
    );
  }
  const after = [...at.after, ...page.map((user) => user.id)].slice(-CURSOR_BACKUPS);
  return { ...current, totals: applied.totals, step: { ...at, after }, line: applied.line };
}

export async function importByOffset(
  ctx: ActionCtx,
  key: string,
  current: Run,
  at: Step<{ phase: "import"; offset: number }>,
): Promise<Next> {
  const { kind, offset } = at;
  const from = Math.max(0, offset - at.overlap);
  const page = await listClerk(key, kind, { offset: from });
  const totals = { ...current.totals, requests: current.totals.requests + 1 };
  if (page === ORGS_DISABLED) {
    return { done: totals, line: "organizations are not enabled on this Clerk instance: users only" };
  }
  // More entries before this point went than the overlap covers: look further back.
  const overlap = Math.min(offset, Math.max(OVERLAP, 2 * at.overlap));
  const stepBack = {
    step: { ...at, overlap },
    line: `Clerk's list moved; re-reading from ${offset - overlap}`,
  };
  if (page.length === 0) {
    // Only an empty page where the list should go on ends it; one inside the overlap means it shrank.
    return from === offset || from === 0
      ? { ...current, totals, step: toScan(kind) }
      : { ...current, totals, ...stepBack };
  }
  const applied = await applyPage(ctx, current, totals, kind, page);
  if (from > 0 && from < offset && applied.firstFresh)
    return { ...current, totals: applied.totals, ...stepBack };
  if (applied.fresh === 0) {
    // Everything here was read before: ask at the position itself, which must answer an empty page.
    if (from < offset) return { ...current, totals, step: { ...at, overlap: 0 } };
    throw new Stop(
      `stopped: asked for Clerk's ${kind} from position ${offset}, it answered ${page.length} this run had already read (its list may ignore \`offset\`). Nothing more was deleted; run \`pnpm sync:clerk\` again later.`,
    );
  }
  const step = { ...at, offset: from + page.length, overlap: OVERLAP };
  return { ...current, totals: applied.totals, step, line: applied.line };
}

/** The id a run lists an entry by: Clerk's id, or a membership's `org/user` (what the local row can say). */
function listedId(kind: Kind, entry: { id: string }): string {
  if (kind !== "memberships") return entry.id;
  const { organization, public_user_data } = entry as {
    organization?: { id?: unknown };
    public_user_data?: { user_id?: unknown };
  };
  return `${organization?.id}/${public_user_data?.user_id}`;
}

async function applyPage(
  ctx: ActionCtx,
  current: Run,
  totals: Run["totals"],
  kind: Kind,
  page: { id: string }[],
) {
  // An entry that does not parse keeps only its id (and is counted).
  const rows = page.map((entry) => ({ id: listedId(kind, entry), ...entryFromApi(kind, entry) }));
  const applied = await ctx.runMutation(internal.clerk.lists.applyFresh, {
    runId: current.runId,
    rows,
    dryRun: current.dryRun,
  });
  const { created, updated, unchanged, unreadable } = applied;
  return {
    ...applied,
    totals: {
      ...totals,
      created: totals.created + created,
      updated: totals.updated + updated,
      unchanged: totals.unchanged + unchanged,
      unreadable: totals.unreadable + unreadable,
    },
    line: `${page.length} Clerk ${kind} read: ${created} created, ${updated} updated, ${unchanged} unchanged`,
  };
}

const organization = v.object(clerkOrganizationFields);

/** Each entry this run has not listed yet, through the webhook's rule; `fresh` counts the ids new to the run. */
export const applyFresh = internalMutation({
  args: {
    runId: v.id("syncRuns"),
    rows: v.array(
      v.union(
        v.object({ id: v.string(), user: v.object(clerkUserFields) }),
        v.object({ id: v.string(), organization }),
        v.object({ id: v.string(), membership: v.object(clerkMembershipFields), organization }),
        v.object({ id: v.string() }),
      ),
    ),
    dryRun: v.boolean(),
  },
  returns: v.object({
    created: v.number(),
    updated: v.number(),
    unchanged: v.number(),
    unreadable: v.number(),
    fresh: v.number(),
    firstFresh: v.boolean(),
  }),
  handler: async (ctx, { runId, rows, dryRun }) => {
    const result = { created: 0, updated: 0, unchanged: 0, unreadable: 0, fresh: 0, firstFresh: false };
    for (const [i, row] of rows.entries()) {
      const listed = await ctx.db
        .query("syncListed")
        .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId).eq("clerkId", row.id))
        .first();
      if (listed !== null) continue;
      await ctx.db.insert("syncListed", { runId, clerkId: row.id });
      result.fresh += 1;
      result.firstFresh ||= i === 0;
      // The webhook's rule: `stale` (a webhook got there first) and tombstoned count as unchanged.
      const outcome =
        "user" in row
          ? await applyClerkUser(ctx, row.user, { dryRun })
          : "membership" in row
            ? await applyMembership(ctx, { deleted: false, ...row }, { dryRun })
            : "organization" in row
              ? await applyOrganization(ctx, row.organization, { dryRun })
              : "unreadable";
      if (outcome === "created" || outcome === "updated" || outcome === "unreadable") result[outcome] += 1;
      else result.unchanged += 1;
    }
    return result;
  },
});
