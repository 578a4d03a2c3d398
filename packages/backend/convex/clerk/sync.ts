/**
 * `pnpm sync:clerk` (and a daily cron): brings `users`, then `organizations` and `memberships`, in step with
 * Clerk's full lists, for whatever the webhook missed (a dead endpoint, a rotated secret, users from before the webhook existed). It runs as a
 * chain of scheduled steps, one Clerk request each (a few for a prune batch), so no step nears Convex's
 * limits. Each run has a `syncRuns` row with its progress and summary, which the script polls to show in the
 * terminal; the same lines go to the deployment's logs. Safe to run twice, and while webhooks arrive.
 *
 * It never deletes on an answer it did not ask for:
 * 0. Check. The secret key must belong to the Clerk instance the deployment trusts (CLERK_JWT_ISSUER_DOMAIN):
 *    another instance's key would list none of your users. The two publish their signing keys; they must
 *    share one.
 * 1. Import. Pages through Clerk's users oldest first, each through the webhook's rule (`applyClerkUser`),
 *    with `starting_after` (the last id read): Clerk's GET /v1/users says to walk more than a few pages that
 *    way, since a large `offset` gets slower and eventually times out. Organizations and memberships have no
 *    cursor: their offsets shift when a row before the current position is deleted, so each request starts
 *    OVERLAP rows early and must find the last row already seen (else it steps further back). It reads until
 *    Clerk answers an empty page (a short page is not the end: Clerk may cap `limit`); a page that brings
 *    nothing new where the list should continue (a list that ignores `starting_after` or `offset`) stops the
 *    run, as does a step cap. Every id listed is remembered for this run (`syncListed`).
 * 2. Prune. Pages through `users` created before the prune began and asks Clerk about exactly those ids. An
 *    answer holding an id not asked for, or leaving out an id this run listed, stops the run: Clerk did not
 *    answer the question. Each id left out is confirmed gone by `GET /v1/users/{id}` → 404; a 200 stops the
 *    run. If more than 10% of the rows (and more than 10) would go, the run stops and asks for
 *    `--allow-mass-delete`; otherwise they are deleted in batches, through the webhook's deletion.
 * 3. The same for organizations (`GET /v1/organizations`, the `organization_id` lookup, a 404 for
 *    `/v1/organizations/{id}`) and memberships (`GET /v1/organization_memberships`; Clerk has no lookup of one
 *    membership, so one this run did not list is gone only when its organization's list, filtered by that
 *    user, holds none, or the organization answers 404).
 */
import { paginationOptsValidator } from "convex/server";
import { type Infer, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { type ActionCtx, internalAction, internalMutation, internalQuery } from "../_generated/server";
import { clerkUserFields } from "./fields";
import { membershipOf } from "./identity";
import { applyMembership, applyOrganization } from "./orgs";
import { membershipFromApi, organizationFromApi, userFieldsFromApi } from "./parse";
import { clerkMembershipFields, clerkOrganizationFields, syncTotals } from "./tables";
import { applyClerkDeletion, applyClerkUser } from "./users";

const CLERK_API = "https://api.clerk.com/v1";
/** Clerk's largest page. It may answer fewer (a cap of its own): only an empty page ends the list. */
export const PAGE_SIZE = 500;
/** How far back each import request starts, to see the list's shift. */
export const OVERLAP = 50;
/** Clerk's limit for the `user_id` filter. */
const CHECK_BATCH = 100;
/** Users deleted per transaction: each deletion also removes a batch of the user's app data. */
const DELETE_BATCH = 16;
/** Failed requests in a row (429s, 5xx, network) before the run gives up and says so. */
export const MAX_RETRIES = 8;
/** The longest wait a Retry-After may ask for; a longer one is Clerk misbehaving, not a rate limit. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;
/** Steps (Clerk requests) per run before it stops: about 5 million users at Clerk's page size. */
const MAX_STEPS = 10_000;
/** A run that would delete more rows than this share (and more than MASS_DELETE_MIN) asks first. */
const MASS_DELETE_SHARE = 0.1;
const MASS_DELETE_MIN = 10;
/** Rows younger than this when the prune begins are left for the next run. */
export const RECENT_MS = 60_000;
const LOG = "sync:clerk";

const totals = syncTotals;
type Totals = Infer<typeof totals>;

/**
 * What a run brings in step, one after the other. Organizations and memberships follow the same rules as
 * users; on an instance without organizations Clerk answers 403 `organization_not_enabled_in_instance` and
 * the run ends after the users, as it did before organizations existed.
 */
const kind = v.union(v.literal("users"), v.literal("organizations"), v.literal("memberships"));
type Kind = Infer<typeof kind>;
const NEXT_KIND: Record<Kind, Kind | null> = {
  users: "organizations",
  organizations: "memberships",
  memberships: null,
};
/** Backend API paths: `GET /v1/users` answers an array, the other two `{ data, total_count }`. */
const LIST_PATH: Record<Kind, string> = {
  users: "users",
  organizations: "organizations",
  memberships: "organization_memberships",
};

const step = v.union(
  v.object({ phase: v.literal("check") }),
  v.object({
    phase: v.literal("import"),
    kind,
    /** Where the next unseen row should be in Clerk's list, had nothing moved (for users, a count read). */
    offset: v.number(),
    overlap: v.number(),
    /** The last rows of the previous page: one must be in the next (overlap > 0); for users the last is the cursor. */
    lastIds: v.array(v.string()),
  }),
  v.object({
    phase: v.literal("prune"),
    kind,
    /** Rows created from here on are left for the next run; fixed, so the index range stays one query. */
    before: v.number(),
    cursor: v.union(v.string(), v.null()),
    scanned: v.number(),
    /** Ids Clerk confirmed gone (404), deleted once the scan is over and the share is known. */
    gone: v.array(v.string()),
  }),
  v.object({ phase: v.literal("delete"), kind, gone: v.array(v.string()) }),
);

const runState = v.object({
  runId: v.id("syncRuns"),
  dryRun: v.boolean(),
  allowMassDelete: v.boolean(),
  maxSteps: v.number(),
  steps: v.number(),
  retries: v.number(),
  totals,
  step,
});
type Run = Infer<typeof runState>;
type Next = Run | { done: Totals };

const runStatus = v.union(v.literal("running"), v.literal("done"), v.literal("stopped"));

/** The run's entry point: `pnpm sync:clerk` and the cron start it with no `run`; each step schedules the next. */
export const run = internalAction({
  args: {
    dryRun: v.optional(v.boolean()),
    allowMassDelete: v.optional(v.boolean()),
    maxSteps: v.optional(v.number()),
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
      if (current.steps >= current.maxSteps) {
        throw new Stop(
          `stopped after ${current.maxSteps} steps, more than a list of this size needs: Clerk's answers may be going round in circles. Nothing more was changed; run \`pnpm sync:clerk\` again, and report it if it happens twice.`,
        );
      }
      next = await runStep(ctx, secretKey, current);
    } catch (error) {
      let stop = error;
      if (error instanceof Retryable) {
        const retries = current.retries + 1;
        if (retries <= MAX_RETRIES) {
          await say(ctx, current, `${error.message}; retrying in ${Math.ceil(error.delayMs / 1000)}s`);
          await ctx.scheduler.runAfter(error.delayMs, internal.clerk.sync.run, {
            run: { ...current, retries },
          });
          return { status: "retrying" as const, runId };
        }
        stop = new Stop(
          `gave up after ${MAX_RETRIES + 1} failed attempts in a row at one step (${error.message}). Nothing is lost: run \`pnpm sync:clerk\` again later.`,
        );
      }
      const message = `${LOG}: ${stop instanceof Stop ? stop.message : errorMessage(stop)}`;
      console.error(message);
      await ctx.runMutation(internal.clerk.sync.finish, {
        runId,
        status: "stopped",
        message,
        totals: current.totals,
      });
      throw new Error(message);
    }
    if ("done" in next) {
      const message = summary(current.dryRun, next.done);
      console.log(message);
      await ctx.runMutation(internal.clerk.sync.finish, {
        runId,
        status: "done",
        message,
        totals: next.done,
      });
      return { status: "done" as const, runId };
    }
    await ctx.runMutation(internal.clerk.sync.progress, { runId, totals: next.totals });
    await ctx.scheduler.runAfter(0, internal.clerk.sync.run, {
      run: { ...next, steps: current.steps + 1, retries: 0 },
    });
    return { status: "running" as const, runId };
  },
});

async function start(
  ctx: ActionCtx,
  args: { dryRun?: boolean; allowMassDelete?: boolean; maxSteps?: number },
): Promise<Run> {
  const dryRun = args.dryRun ?? false;
  const runId: Id<"syncRuns"> = await ctx.runMutation(internal.clerk.sync.begin, { dryRun });
  console.log(`${LOG}: started${dryRun ? " (dry run)" : ""}`);
  return {
    runId,
    dryRun,
    allowMassDelete: args.allowMassDelete ?? false,
    maxSteps: args.maxSteps ?? MAX_STEPS,
    steps: 0,
    retries: 0,
    totals: { created: 0, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: 0 },
    step: { phase: "check" },
  };
}

function runStep(ctx: ActionCtx, secretKey: string, current: Run): Promise<Next> {
  switch (current.step.phase) {
    case "check":
      return checkInstance(secretKey, current);
    case "import":
      return importPage(ctx, secretKey, current, current.step);
    case "prune":
      return prunePage(ctx, secretKey, current, current.step);
    case "delete":
      return deleteBatch(ctx, current, current.step);
  }
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
  const [fromKey, fromIssuer] = await Promise.all([
    clerkGet(`${CLERK_API}/jwks`, secretKey),
    clerkGet(`${issuer}/.well-known/jwks.json`),
  ]);
  const keyIds = (jwks: unknown) =>
    new Set(((jwks as { keys?: { kid?: unknown }[] } | null)?.keys ?? []).map((key) => key.kid));
  const issuerKeys = keyIds(fromIssuer);
  if (![...keyIds(fromKey)].some((kid) => typeof kid === "string" && issuerKeys.has(kid))) {
    throw new Stop(
      `stopped before changing anything: CLERK_SECRET_KEY belongs to another Clerk instance than ${issuer} (CLERK_JWT_ISSUER_DOMAIN), for example a development key on a production deployment. Set the secret key of that instance: pnpm convex env set CLERK_SECRET_KEY sk_...`,
    );
  }
  return {
    ...current,
    totals: { ...current.totals, requests: current.totals.requests + 2 },
    step: { phase: "import", kind: "users", offset: 0, overlap: 0, lastIds: [] },
  };
}

/** The next kind's import, or the end of the run. */
function nextKind(current: Run, totals: Totals, done: Kind): Next {
  const next = NEXT_KIND[done];
  if (next === null) return { done: totals };
  return { ...current, totals, step: { phase: "import", kind: next, offset: 0, overlap: 0, lastIds: [] } };
}

type ImportStep = Extract<Run["step"], { phase: "import" }>;

async function importPage(ctx: ActionCtx, secretKey: string, current: Run, at: ImportStep): Promise<Next> {
  const { kind, offset, overlap, lastIds } = at;
  // Users by cursor, which no deletion shifts (so no overlap); the other lists by offset.
  const cursor = kind === "users";
  const from = Math.max(0, offset - overlap);
  const after = lastIds.at(-1);
  const params: Record<string, string | number> = cursor
    ? { order_by: "+created_at", limit: PAGE_SIZE, ...(after === undefined ? {} : { starting_after: after }) }
    : { order_by: "+created_at", offset: from, limit: PAGE_SIZE };
  const page = await listClerk(secretKey, kind, params);
  const totals = { ...current.totals, requests: current.totals.requests + 1 };
  if (page === ORGS_DISABLED) {
    await say(ctx, current, "organizations are not enabled on this Clerk instance: users only");
    return { done: totals };
  }

  if (page.length === 0) {
    // Only an empty page where the list should go on ends it; one inside the overlap means it shrank.
    if (from === offset || from === 0) {
      const before = Date.now() - RECENT_MS;
      return {
        ...current,
        totals,
        step: { phase: "prune", kind, before, cursor: null, scanned: 0, gone: [] },
      };
    }
    return stepBack(current, totals, at);
  }

  const seen = new Set(lastIds);
  const last = page.findLastIndex((user) => seen.has(user.id));
  if (last === -1 && from < offset) return stepBack(current, totals, at);
  const fresh = page.slice(last + 1);
  if (fresh.length === 0) {
    if (from < offset) {
      // Everything here was seen: ask at the position itself, which must answer an empty page.
      return { ...current, totals, step: { phase: "import", kind, offset, overlap: 0, lastIds } };
    }
    throw new Stop(
      `stopped: asked for Clerk's ${kind} from position ${offset}, it answered ${page.length} this run had already read (its list may ignore \`${cursor ? "starting_after" : "offset"}\`). Nothing was deleted; run \`pnpm sync:clerk\` again later.`,
    );
  }

  const rows = readPage(kind, fresh);
  totals.unreadable += fresh.length - rows.rows.length;
  const applied = await ctx.runMutation(internal.clerk.sync.applyPage, {
    runId: current.runId,
    page: rows,
    listed: listedIds(rows),
    dryRun: current.dryRun,
  });
  totals.created += applied.created;
  totals.updated += applied.updated;
  totals.unchanged += applied.unchanged;
  await say(
    ctx,
    current,
    `${from + page.length} Clerk ${kind} read: ${applied.created} created, ${applied.updated} updated, ${applied.unchanged} unchanged`,
  );
  return {
    ...current,
    totals,
    step: {
      phase: "import",
      kind,
      offset: from + page.length,
      overlap: cursor ? 0 : OVERLAP,
      // Its last id is the next cursor.
      lastIds: page.slice(-OVERLAP).map((user) => user.id),
    },
  };
}

/** More users before this point were deleted than the overlap covers: look further back. */
function stepBack(current: Run, totals: Totals, at: ImportStep): Run {
  const overlap = Math.min(at.offset, Math.max(OVERLAP, 2 * at.overlap));
  console.log(`${LOG}: Clerk's list moved; re-reading from ${at.offset - overlap}`);
  return { ...current, totals, step: { ...at, overlap } };
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

/** What a run remembers as listed: Clerk's id, or for a membership, its organization and user. */
function listedIds(page: PageRows): string[] {
  if (page.kind === "users") return page.rows.map((user) => user.clerkId);
  if (page.kind === "organizations") return page.rows.map((organization) => organization.clerkOrgId);
  return page.rows.map(({ membership }) => `${membership.clerkOrgId}/${membership.clerkUserId}`);
}

export const applyPage = internalMutation({
  args: { runId: v.id("syncRuns"), page: pageRows, listed: v.array(v.string()), dryRun: v.boolean() },
  returns: v.object({ created: v.number(), updated: v.number(), unchanged: v.number() }),
  handler: async (ctx, { runId, page, listed, dryRun }) => {
    const result = { created: 0, updated: 0, unchanged: 0 };
    // Each through the webhook's rule: `stale` (a webhook got there first) and tombstoned count as unchanged.
    const outcomes: string[] = [];
    if (page.kind === "users") {
      for (const user of page.rows) outcomes.push(await applyClerkUser(ctx, user, { dryRun }));
    } else if (page.kind === "organizations") {
      for (const organization of page.rows)
        outcomes.push(await applyOrganization(ctx, organization, { dryRun }));
    } else {
      for (const change of page.rows)
        outcomes.push(await applyMembership(ctx, { deleted: false, ...change }, { dryRun }));
    }
    for (const outcome of outcomes) {
      if (outcome === "created" || outcome === "updated") result[outcome] += 1;
      else result.unchanged += 1;
    }
    for (const clerkId of listed) await ctx.db.insert("syncListed", { runId, clerkId });
    return result;
  },
});

type PruneStep = Extract<Run["step"], { phase: "prune" }>;

/** The filter `GET /v1/users` and `GET /v1/organizations` take for up to 100 ids. */
const ID_FILTER = { users: "user_id", organizations: "organization_id" } as const;

async function prunePage(ctx: ActionCtx, secretKey: string, current: Run, at: PruneStep): Promise<Next> {
  const { kind } = at;
  const local = await ctx.runQuery(internal.clerk.sync.localRows, {
    kind,
    before: at.before,
    paginationOpts: { cursor: at.cursor, numItems: CHECK_BATCH },
  });
  const totals = { ...current.totals };
  const gone = [...at.gone];
  if (local.ids.length > 0) {
    const listed = await ctx.runQuery(internal.clerk.sync.listedAmong, {
      runId: current.runId,
      clerkIds: local.ids,
    });
    let missing: string[];
    if (kind === "memberships") {
      // No lookup by id exists for memberships: each one this run did not list is asked about below.
      const seen = new Set(listed);
      missing = local.ids.filter((id) => !seen.has(id));
    } else {
      totals.requests += 1;
      const asked = new Set(local.ids);
      const found = await listClerk(secretKey, kind, { [ID_FILTER[kind]]: local.ids, limit: CHECK_BATCH });
      if (found === ORGS_DISABLED) throw new Stop("Clerk answered that organizations are not enabled.");
      const unasked = found.filter((row) => !asked.has(row.id)).map((row) => row.id);
      if (unasked.length > 0) {
        throw new Stop(
          `stopped: asked Clerk about ${asked.size} ${kind} ids, it answered ${found.length}, ${unasked.length} of them not asked for (such as ${unasked[0]}): it did not apply the ${ID_FILTER[kind]} filter. Nothing more was deleted.`,
        );
      }
      const existing = new Set(found.map((row) => row.id));
      missing = local.ids.filter((id) => !existing.has(id));
      const leftOut = missing.filter((id) => listed.includes(id));
      if (leftOut.length > 0) {
        throw new Stop(
          `stopped: asked Clerk about ${asked.size} ${kind} ids, it answered ${found.length} and left out ${leftOut.length} that this run listed minutes ago (such as ${leftOut[0]}). Nothing more was deleted; run \`pnpm sync:clerk\` again later.`,
        );
      }
    }
    for (const id of missing) {
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
  }
  const scanned = at.scanned + local.ids.length;
  if (!local.isDone)
    return { ...current, totals, step: { ...at, cursor: local.continueCursor, scanned, gone } };

  // The same guard for every kind: a wrong answer should not empty a table.
  if (
    gone.length > MASS_DELETE_MIN &&
    gone.length > scanned * MASS_DELETE_SHARE &&
    !current.allowMassDelete
  ) {
    throw new Stop(
      `stopped before deleting: ${gone.length} of ${scanned} ${kind} are gone from Clerk, more than ${MASS_DELETE_SHARE * 100}%. If that is right (you deleted them in Clerk), run \`pnpm sync:clerk --allow-mass-delete\`.`,
    );
  }
  if (current.dryRun || gone.length === 0) {
    return nextKind(current, { ...totals, deleted: totals.deleted + gone.length }, kind);
  }
  return { ...current, totals, step: { phase: "delete", kind, gone } };
}

async function deleteBatch(
  ctx: ActionCtx,
  current: Run,
  at: Extract<Run["step"], { phase: "delete" }>,
): Promise<Next> {
  const { kind } = at;
  const batch = at.gone.slice(0, DELETE_BATCH);
  const rest = at.gone.slice(DELETE_BATCH);
  let deleted = 0;
  if (kind === "organizations") {
    // One transaction each: an organization's deletion schedules the batches of what belonged to it.
    for (const clerkOrgId of batch) {
      const outcome = await ctx.runMutation(internal.clerk.orgs.deleteOrganizationFromClerk, { clerkOrgId });
      if (outcome === "deleted") deleted += 1;
    }
  } else {
    deleted = await ctx.runMutation(internal.clerk.sync.deleteGone, { kind, ids: batch });
  }
  const totals = { ...current.totals, deleted: current.totals.deleted + deleted };
  await say(ctx, current, `${kind}: ${deleted} deleted, ${rest.length} left to delete`);
  return rest.length === 0
    ? nextKind(current, totals, kind)
    : { ...current, totals, step: { phase: "delete", kind, gone: rest } };
}

/** The webhook's deletion (row, app data, tombstone) for a batch of users or memberships, in one transaction. */
export const deleteGone = internalMutation({
  args: { kind: v.union(v.literal("users"), v.literal("memberships")), ids: v.array(v.string()) },
  returns: v.number(),
  handler: async (ctx, { kind, ids }) => {
    let deleted = 0;
    for (const id of ids) {
      if (kind === "users") {
        if ((await applyClerkDeletion(ctx, id)) === "deleted") deleted += 1;
        continue;
      }
      const [clerkOrgId = "", clerkUserId = "", generation = ""] = id.split("/");
      const row = await membershipOf(ctx, clerkOrgId, clerkUserId);
      if (row === null) continue;
      // A deletion of the generation the prune asked Clerk about, as Clerk's `organizationMembership.deleted`
      // is: a row that a re-join made newer since then is left alone.
      const { role, clerkUpdatedAt } = row;
      const clerkCreatedAt = Number(generation);
      const membership = { clerkOrgId, clerkUserId, role, clerkCreatedAt, clerkUpdatedAt };
      if ((await applyMembership(ctx, { deleted: true, membership })) === "deleted") deleted += 1;
    }
    return deleted;
  },
});

/** The local rows created before the prune began, as the ids the run lists them by. */
export const localRows = internalQuery({
  args: { kind, before: v.number(), paginationOpts: paginationOptsValidator },
  returns: v.object({
    ids: v.array(v.string()),
    /** A membership's generation (`created_at`), in the order of `ids`; 0 for the other kinds. */
    generations: v.array(v.number()),
    continueCursor: v.string(),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { kind, before, paginationOpts }) => {
    const table = kind === "users" ? "users" : kind;
    const { page, continueCursor, isDone } = await ctx.db
      .query(table)
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

// The run's record: what `pnpm sync:clerk` polls and prints.

export const begin = internalMutation({
  args: { dryRun: v.boolean() },
  returns: v.id("syncRuns"),
  handler: async (ctx, { dryRun }) =>
    await ctx.db.insert("syncRuns", {
      dryRun,
      status: "running",
      message: `${LOG}: started`,
      totals: { created: 0, updated: 0, unchanged: 0, unreadable: 0, deleted: 0, requests: 0 },
    }),
});

export const progress = internalMutation({
  args: { runId: v.id("syncRuns"), totals, message: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { runId, totals, message }) => {
    await ctx.db.patch("syncRuns", runId, { totals, ...(message === undefined ? {} : { message }) });
    return null;
  },
});

export const finish = internalMutation({
  args: { runId: v.id("syncRuns"), status: runStatus, message: v.string(), totals },
  returns: v.null(),
  handler: async (ctx, { runId, status, message, totals }) => {
    await ctx.db.patch("syncRuns", runId, { status, message, totals });
    await ctx.scheduler.runAfter(0, internal.clerk.sync.forgetListed, { runId });
    return null;
  },
});

/** The ids a finished run listed are needed no more; removed in batches. */
export const forgetListed = internalMutation({
  args: { runId: v.id("syncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const batch = await ctx.db
      .query("syncListed")
      .withIndex("by_run_id_and_clerk_id", (q) => q.eq("runId", runId))
      .take(1000);
    for (const row of batch) await ctx.db.delete("syncListed", row._id);
    if (batch.length === 1000) await ctx.scheduler.runAfter(0, internal.clerk.sync.forgetListed, { runId });
    return null;
  },
});

/** What `pnpm sync:clerk` shows while it waits: the run's status, counts and latest line. */
export const status = internalQuery({
  args: { runId: v.id("syncRuns") },
  returns: v.union(
    v.null(),
    v.object({ dryRun: v.boolean(), status: runStatus, message: v.string(), totals }),
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

/** Ends the run with a message for the person who started it. */
class Stop extends Error {}

/** A failed request worth repeating: a 429 (after Clerk's Retry-After, capped), a 5xx, or no answer. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/**
 * A page of one of Clerk's lists, each entry with its `id`: `GET /v1/users` answers a JSON array,
 * `/v1/organizations` and `/v1/organization_memberships` `{ data, total_count }`; the entries are the JSON
 * webhooks carry. ORGS_DISABLED when Clerk says the instance has no organizations.
 */
async function listClerk(
  secretKey: string,
  kind: Kind,
  params: Record<string, string | number | string[]>,
): Promise<{ id: string }[] | typeof ORGS_DISABLED> {
  const url = new URL(`${CLERK_API}/${LIST_PATH[kind]}`);
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  const body = await clerkGet(url.toString(), secretKey, { orgs: kind !== "users" });
  if (body === ORGS_DISABLED) return body;
  const list = kind === "users" ? body : (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) {
    throw new Stop(`Clerk's API did not answer with a list of ${kind}; nothing more was changed.`);
  }
  if (!list.every((row) => typeof row?.id === "string")) {
    throw new Stop(`Clerk's API answered ${kind} without an id; nothing more was changed.`);
  }
  return list as { id: string }[];
}

/**
 * Clerk's word about one id: "gone", or the request that shows it exists. A user or an organization is gone
 * on a 404 for `GET /v1/users/{id}` or `/v1/organizations/{id}`. Clerk has no lookup of one membership:
 * `GET /v1/organizations/{org}/memberships?user_id={user}` must answer none (or 404: the organization went,
 * and its memberships with it), and anything but that user's membership stops the run.
 */
async function confirmGone(secretKey: string, kind: Kind, id: string): Promise<"gone" | string> {
  if (kind === "memberships") {
    const [clerkOrgId = "", clerkUserId = ""] = id.split("/");
    const path = `/v1/organizations/${encodeURIComponent(clerkOrgId)}/memberships?user_id=${encodeURIComponent(clerkUserId)}`;
    const found = await clerkGet(`https://api.clerk.com${path}`, secretKey, { notFound: true });
    if (found === NOT_FOUND) return "gone";
    const list = (found as { data?: unknown } | null)?.data;
    const userOf = (row: unknown) =>
      (row as { public_user_data?: { user_id?: unknown } })?.public_user_data?.user_id;
    if (!Array.isArray(list) || list.some((row) => userOf(row) !== clerkUserId)) {
      throw new Stop(
        `GET ${path} answered something else than that user's membership; nothing more was deleted.`,
      );
    }
    return list.length === 0 ? "gone" : `GET ${path}`;
  }
  const path = `/v1/${LIST_PATH[kind]}/${encodeURIComponent(id)}`;
  const found = await clerkGet(`https://api.clerk.com${path}`, secretKey, { notFound: true });
  if (found === NOT_FOUND) return "gone";
  if ((found as { id?: unknown } | null)?.id !== id) {
    throw new Stop(`GET ${path} answered another id; nothing more was deleted.`);
  }
  return `GET ${path}`;
}

const NOT_FOUND = Symbol("not found");
const ORGS_DISABLED = Symbol("organizations not enabled");

/** GETs JSON from Clerk: with the secret key for its Backend API, without for the issuer's public keys. */
async function clerkGet(
  url: string,
  secretKey?: string,
  { notFound = false, orgs = false } = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(
      url,
      secretKey === undefined ? {} : { headers: { Authorization: `Bearer ${secretKey}` } },
    );
  } catch (error) {
    throw new Retryable(`Clerk did not answer (${errorMessage(error)})`, 10_000);
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    const asked = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 10_000;
    throw new Retryable("Clerk's rate limit (429)", Math.min(asked, MAX_RETRY_AFTER_MS));
  }
  if (response.status >= 500) throw new Retryable(`Clerk answered ${response.status}`, 10_000);
  if (notFound && response.status === 404) return NOT_FOUND;
  if (orgs && response.status === 403) {
    const body = (await response.json().catch(() => null)) as { errors?: { code?: unknown }[] } | null;
    if (body?.errors?.[0]?.code === "organization_not_enabled_in_instance") return ORGS_DISABLED;
  }
  if (!response.ok) {
    const hint =
      response.status === 401 || response.status === 403
        ? ": CLERK_SECRET_KEY is not a valid secret key for this Clerk instance (Clerk dashboard → API keys)"
        : "";
    throw new Stop(`Clerk answered ${response.status} to GET ${new URL(url).pathname}${hint}`);
  }
  return await response.json();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
