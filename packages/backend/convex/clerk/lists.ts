/**
 * The reconcile's first half (sync.ts drives it): reads Clerk's lists oldest first, one page per step, and
 * applies each entry through the webhook's rule. Users are walked by cursor (`starting_after`); organizations
 * and memberships by offset, as Clerk has no cursor for them: each request starts OVERLAP entries early,
 * since offsets shift when an earlier entry is deleted, and must find the last entry already seen (else it
 * steps further back). A list ends at an empty page (a short page is not the end: Clerk may cap `limit`);
 * a page with nothing new stops the run. Every id listed is remembered for this run (`syncListed`).
 */
import { type Infer, v } from "convex/values";
import { internal } from "../_generated/api";
import { type ActionCtx, internalMutation } from "../_generated/server";
import { confirmGone, type Kind, listClerk, ORGS_DISABLED, PAGE_SIZE, Stop } from "./clerkApi";
import { clerkUserFields } from "./fields";
import { applyMembership, applyOrganization } from "./orgs";
import { membershipFromApi, organizationFromApi, userFieldsFromApi } from "./parse";
import type { Next, Run } from "./sync";
import { clerkMembershipFields, clerkOrganizationFields } from "./tables";
import { applyClerkUser } from "./users";

/** How far back each offset request starts, to see the list's shift (organizations and memberships). */
export const OVERLAP = 50;
/** The users last read that stand in for the cursor when its user is deleted during the run. */
const CURSOR_BACKUPS = 20;

type UsersStep = Extract<Run["step"], { kind: "users"; phase: "import" }>;
type Totals = Run["totals"];
type OffsetStep = Extract<Run["step"], { phase: "import"; offset: number }>;

/** The list is over: prune what it did not hold, leaving rows of the last minute for the next run. */
export const RECENT_MS = 60_000;
const toPrune = (kind: Kind): Run["step"] => ({
  phase: "prune",
  kind,
  before: Date.now() - RECENT_MS,
  cursor: null,
  scanned: 0,
  gone: 0,
});

export async function importUsers(
  ctx: ActionCtx,
  secretKey: string,
  current: Run,
  at: UsersStep,
): Promise<Next> {
  const cursor = at.after.at(-1);
  const position: Record<string, string> = cursor === undefined ? {} : { starting_after: cursor };
  const page = await listClerk(secretKey, "users", {
    order_by: "+created_at",
    ...position,
    limit: PAGE_SIZE,
  });
  const totals = { ...current.totals, requests: current.totals.requests + 1 };
  if (page.length === 0) {
    if (cursor === undefined) return { ...current, totals, step: toPrune("users") };
    // Clerk does not say what a cursor whose user was deleted meanwhile answers: an empty page is the end
    // only while that user still exists; else read on from the user before it.
    totals.requests += 1;
    if ((await confirmGone(secretKey, "users", cursor)) !== "gone") {
      return { ...current, totals, step: toPrune("users") };
    }
    if (at.after.length === 1) {
      throw new Stop(
        `stopped: the last ${CURSOR_BACKUPS} users this run read were deleted in Clerk during the run, so it cannot tell where Clerk's list goes on. Nothing was deleted; run \`pnpm sync:clerk\` again.`,
      );
    }
    const after = at.after.slice(0, -1);
    return {
      ...current,
      totals,
      step: { ...at, after },
      line: `${cursor} was deleted meanwhile: reading on from ${after.at(-1)}`,
    };
  }
  const applied = await applyFresh(ctx, current, totals, "users", page);
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
  secretKey: string,
  current: Run,
  at: OffsetStep,
): Promise<Next> {
  const { kind, offset, overlap, lastIds } = at;
  const from = Math.max(0, offset - overlap);
  const page = await listClerk(secretKey, kind, { order_by: "+created_at", offset: from, limit: PAGE_SIZE });
  const totals = { ...current.totals, requests: current.totals.requests + 1 };
  if (page === ORGS_DISABLED) {
    return { done: totals, line: "organizations are not enabled on this Clerk instance: users only" };
  }
  if (page.length === 0) {
    // Only an empty page where the list should go on ends it; one inside the overlap means it shrank.
    if (from === offset || from === 0) return { ...current, totals, step: toPrune(kind) };
    return stepBack(current, totals, at);
  }
  const seen = new Set(lastIds);
  const last = page.findLastIndex((entry) => seen.has(entry.id));
  if (last === -1 && from < offset) return stepBack(current, totals, at);
  const fresh = page.slice(last + 1);
  if (fresh.length === 0) {
    if (from < offset) {
      // Everything here was seen: ask at the position itself, which must answer an empty page.
      return { ...current, totals, step: { ...at, overlap: 0 } };
    }
    throw new Stop(
      `stopped: asked for Clerk's ${kind} from position ${offset}, it answered ${page.length} this run had already read (its list may ignore \`offset\`). Nothing was deleted; run \`pnpm sync:clerk\` again later.`,
    );
  }
  const applied = await applyFresh(ctx, current, totals, kind, fresh);
  const lastIdsNow = page.slice(-OVERLAP).map((entry) => entry.id);
  const step = { ...at, offset: from + page.length, overlap: OVERLAP, lastIds: lastIdsNow };
  return { ...current, totals: applied.totals, step, line: applied.line };
}

/** More entries before this point were deleted than the overlap covers: look further back. */
function stepBack(current: Run, totals: Totals, at: OffsetStep): Next {
  const overlap = Math.min(at.offset, Math.max(OVERLAP, 2 * at.overlap));
  return {
    ...current,
    totals,
    step: { ...at, overlap },
    line: `Clerk's list moved; re-reading from ${at.offset - overlap}`,
  };
}

/** Applies the entries of a page this run has not listed yet, and counts what changed. */
async function applyFresh(ctx: ActionCtx, current: Run, totals: Totals, kind: Kind, page: { id: string }[]) {
  const rows = readPage(kind, page);
  // What a run remembers as listed: Clerk's id (a user's even when unreadable), or a membership's org/user.
  const ids =
    rows.kind === "memberships"
      ? rows.rows.map(({ membership }) => `${membership.clerkOrgId}/${membership.clerkUserId}`)
      : page.map((entry) => entry.id);
  const applied = await ctx.runMutation(internal.clerk.lists.applyPage, {
    runId: current.runId,
    page: rows,
    ids,
    dryRun: current.dryRun,
  });
  const unreadable = totals.unreadable + page.length - rows.rows.length;
  const { created, updated, unchanged } = applied;
  return {
    fresh: applied.fresh,
    totals: {
      ...totals,
      unreadable,
      created: totals.created + created,
      updated: totals.updated + updated,
      unchanged: totals.unchanged + unchanged,
    },
    line: `${page.length} Clerk ${kind} read: ${created} created, ${updated} updated, ${unchanged} unchanged`,
  };
}

const pageRows = v.union(
  v.object({ kind: v.literal("users"), rows: v.array(v.object(clerkUserFields)) }),
  v.object({ kind: v.literal("organizations"), rows: v.array(v.object(clerkOrganizationFields)) }),
  v.object({
    kind: v.literal("memberships"),
    rows: v.array(
      v.object({
        membership: v.object(clerkMembershipFields),
        organization: v.object(clerkOrganizationFields),
      }),
    ),
  }),
);
type PageRows = Infer<typeof pageRows>;

/** A page of Clerk's JSON mapped as the webhook maps it; what does not parse is left out (and counted). */
function readPage(kind: Kind, page: unknown[]): PageRows {
  const mapped = <T>(map: (json: unknown) => T | undefined) =>
    page.map(map).filter((row): row is T => row !== undefined);
  if (kind === "users") return { kind, rows: mapped(userFieldsFromApi) };
  if (kind === "organizations") return { kind, rows: mapped(organizationFromApi) };
  return { kind, rows: mapped(membershipFromApi) };
}

/** Each row this run has not listed yet through the webhook's rule; `fresh` counts the ids new to the run. */
export const applyPage = internalMutation({
  args: { runId: v.id("syncRuns"), page: pageRows, ids: v.array(v.string()), dryRun: v.boolean() },
  returns: v.object({ created: v.number(), updated: v.number(), unchanged: v.number(), fresh: v.number() }),
  handler: async (ctx, { runId, page, ids, dryRun }) => {
    const fresh = new Set<string>();
    for (const clerkId of ids) {
      const listed = await ctx.db
        .query("syncListed")
        .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId).eq("clerkId", clerkId))
        .first();
      if (listed !== null || fresh.has(clerkId)) continue;
      fresh.add(clerkId);
      await ctx.db.insert("syncListed", { runId, clerkId });
    }
    // Each through the webhook's rule: `stale` (a webhook got there first) and tombstoned count as unchanged.
    const outcomes: string[] = [];
    if (page.kind === "users") {
      for (const user of page.rows)
        if (fresh.has(user.clerkId)) outcomes.push(await applyClerkUser(ctx, user, { dryRun }));
    } else if (page.kind === "organizations") {
      for (const organization of page.rows)
        if (fresh.has(organization.clerkOrgId))
          outcomes.push(await applyOrganization(ctx, organization, { dryRun }));
    } else {
      for (const change of page.rows) {
        const { clerkOrgId, clerkUserId } = change.membership;
        if (fresh.has(`${clerkOrgId}/${clerkUserId}`))
          outcomes.push(await applyMembership(ctx, { deleted: false, ...change }, { dryRun }));
      }
    }
    const result = { created: 0, updated: 0, unchanged: 0, fresh: fresh.size };
    for (const outcome of outcomes) {
      if (outcome === "created" || outcome === "updated") result[outcome] += 1;
      else result.unchanged += 1;
    }
    return result;
  },
});
