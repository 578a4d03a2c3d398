/**
 * `pnpm sync:clerk` (and a daily cron): brings `users` in step with Clerk's full user list, for whatever the
 * webhook missed (a dead endpoint, a rotated secret, users from before the webhook existed). It runs as a
 * chain of scheduled steps, one Clerk request each, so no step nears Convex's limits; progress and a summary
 * go to the deployment's logs. Safe to run twice, and while webhooks arrive.
 *
 * How it stays right:
 * 0. Check. Before anything is read or written, the secret key must belong to the Clerk instance the
 *    deployment trusts (CLERK_JWT_ISSUER_DOMAIN): another instance's key would list none of your users,
 *    and the prune below would delete them all. The two publish their signing keys; they must share one.
 * 1. Import. Pages through Clerk's users oldest first, each user through the webhook's rule
 *    (`applyClerkUser`), so a newer version that a webhook stored meanwhile is kept. Offsets shift when a
 *    user before the current position is deleted, so each request starts OVERLAP users early and must find
 *    the last user already seen; when it cannot, it steps further back. Nobody is skipped.
 * 2. Prune. Pages through `users` and asks Clerk about exactly those ids (100 a request). A row is deleted
 *    only when Clerk, asked for that id, does not return it, never because a list left it out. A row
 *    written in the last minute is left for the next run: it may come from news Clerk's API has yet to show.
 */
import { paginationOptsValidator } from "convex/server";
import { type Infer, v } from "convex/values";
import { internal } from "./_generated/api";
import { type ActionCtx, internalAction, internalMutation, internalQuery } from "./_generated/server";
import { type ClerkUserFields, userFieldsFromApi } from "./clerk";
import { clerkUserFields } from "./schema";
import { applyClerkUser } from "./users";

const CLERK_API = "https://api.clerk.com/v1";
/** Clerk's largest page. */
export const PAGE_SIZE = 500;
/** How far back each import request starts, to see the list's shift. */
export const OVERLAP = 50;
/** Clerk's limit for the `user_id` filter. */
const CHECK_BATCH = 100;
/** Failed requests in a row (429s, 5xx, network) before the run gives up and says so. */
export const MAX_RETRIES = 8;
/** Rows younger than this are not pruned in this run. */
export const RECENT_MS = 60_000;

const counts = { created: v.number(), updated: v.number(), unchanged: v.number() };
const totals = v.object({ ...counts, deleted: v.number(), unreadable: v.number(), pages: v.number() });
const run = v.object({
  dryRun: v.boolean(),
  retries: v.number(),
  totals,
  step: v.union(
    v.object({ phase: v.literal("check") }),
    v.object({
      phase: v.literal("import"),
      /** Where the next unseen user should be in Clerk's list, had nothing moved. */
      offset: v.number(),
      overlap: v.number(),
      /** The last users of the previous page: one of them must be in the next. */
      lastIds: v.array(v.string()),
    }),
    v.object({ phase: v.literal("prune"), cursor: v.union(v.string(), v.null()) }),
    v.object({ phase: v.literal("done") }),
  ),
});
type Run = Infer<typeof run>;

export const withClerk = internalAction({
  args: { dryRun: v.optional(v.boolean()), run: v.optional(run) },
  returns: v.union(
    v.literal("not_configured"),
    v.literal("running"),
    v.literal("retrying"),
    v.literal("done"),
  ),
  handler: async (ctx, args) => {
    // Read per run, never at module load: a missing key must not break deploying everything else.
    const secretKey = process.env.CLERK_SECRET_KEY;
    if (!secretKey) {
      console.log(
        "sync:clerk: skipped: CLERK_SECRET_KEY is not set on this deployment. Copy the secret key from Clerk dashboard → API keys and run `pnpm convex env set CLERK_SECRET_KEY sk_...`.",
      );
      return "not_configured" as const;
    }
    const current = args.run ?? start(args.dryRun ?? false);
    let next: Run;
    try {
      next =
        current.step.phase === "check"
          ? await checkInstance(secretKey, current)
          : current.step.phase === "import"
            ? await importPage(ctx, secretKey, current)
            : await prunePage(ctx, secretKey, current);
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      const retries = current.retries + 1;
      if (retries > MAX_RETRIES) {
        throw new Error(
          `sync:clerk: gave up after ${MAX_RETRIES} failed requests in a row (${error.message}). Nothing is lost: run \`pnpm sync:clerk\` again later.`,
        );
      }
      console.log(`sync:clerk: ${error.message}; retrying in ${Math.ceil(error.delayMs / 1000)}s`);
      await ctx.scheduler.runAfter(error.delayMs, internal.reconcile.withClerk, {
        run: { ...current, retries },
      });
      return "retrying" as const;
    }
    if (next.step.phase === "done") {
      const { created, updated, deleted, unchanged, unreadable, pages } = next.totals;
      console.log(
        `sync:clerk: done${next.dryRun ? " (dry run: nothing was written)" : ""}. ` +
          `${created} created, ${updated} updated, ${deleted} deleted, ${unchanged} unchanged` +
          `${unreadable > 0 ? `, ${unreadable} unreadable` : ""}; ${pages} Clerk requests.`,
      );
      return "done" as const;
    }
    await ctx.scheduler.runAfter(0, internal.reconcile.withClerk, { run: { ...next, retries: 0 } });
    return "running" as const;
  },
});

function start(dryRun: boolean): Run {
  console.log(`sync:clerk: started${dryRun ? " (dry run)" : ""}`);
  return {
    dryRun,
    retries: 0,
    totals: { created: 0, updated: 0, unchanged: 0, deleted: 0, unreadable: 0, pages: 0 },
    step: { phase: "check" },
  };
}

async function checkInstance(secretKey: string, current: Run): Promise<Run> {
  const issuer = process.env.CLERK_JWT_ISSUER_DOMAIN?.replace(/\/+$/, "");
  if (!issuer) throw new Error("sync:clerk: CLERK_JWT_ISSUER_DOMAIN is not set on this deployment.");
  const [fromKey, fromIssuer] = await Promise.all([
    clerkGet(`${CLERK_API}/jwks`, secretKey),
    clerkGet(`${issuer}/.well-known/jwks.json`),
  ]);
  const keyIds = (jwks: unknown) =>
    new Set(((jwks as { keys?: { kid?: unknown }[] } | null)?.keys ?? []).map((key) => key.kid));
  const issuerKeys = keyIds(fromIssuer);
  if (![...keyIds(fromKey)].some((kid) => typeof kid === "string" && issuerKeys.has(kid))) {
    throw new Error(
      `sync:clerk: stopped before changing anything: CLERK_SECRET_KEY belongs to another Clerk instance than ${issuer} (CLERK_JWT_ISSUER_DOMAIN), for example a development key on a production deployment. Set the secret key of that instance: pnpm convex env set CLERK_SECRET_KEY sk_...`,
    );
  }
  return {
    ...current,
    totals: { ...current.totals, pages: current.totals.pages + 2 },
    step: { phase: "import", offset: 0, overlap: 0, lastIds: [] },
  };
}

async function importPage(ctx: ActionCtx, secretKey: string, current: Run): Promise<Run> {
  if (current.step.phase !== "import") throw new Error("not an import step");
  const { offset, overlap, lastIds } = current.step;
  const from = Math.max(0, offset - overlap);
  const page = await getClerkUsers(secretKey, { order_by: "+created_at", offset: from, limit: PAGE_SIZE });
  const totals = { ...current.totals, pages: current.totals.pages + 1 };

  let fresh = page;
  if (from > 0) {
    const seen = new Set(lastIds);
    const last = page.findLastIndex((user) => seen.has(user.id));
    if (last === -1) {
      // More users before this point were deleted than the overlap covers: look further back.
      console.log(`sync:clerk: Clerk's list moved; re-reading from ${Math.max(0, offset - 2 * overlap)}`);
      return { ...current, totals, step: { ...current.step, overlap: Math.min(offset, 2 * overlap) } };
    }
    fresh = page.slice(last + 1);
  }

  const users: ClerkUserFields[] = [];
  for (const json of fresh) {
    const fields = userFieldsFromApi(json);
    if (fields === undefined) totals.unreadable += 1;
    else users.push(fields);
  }
  const applied = await ctx.runMutation(internal.reconcile.applyPage, { users, dryRun: current.dryRun });
  totals.created += applied.created;
  totals.updated += applied.updated;
  totals.unchanged += applied.unchanged;
  console.log(
    `sync:clerk: ${from + page.length} Clerk users read: ${applied.created} created, ${applied.updated} updated, ${applied.unchanged} unchanged`,
  );

  if (page.length < PAGE_SIZE) return { ...current, totals, step: { phase: "prune", cursor: null } };
  return {
    ...current,
    totals,
    step: {
      phase: "import",
      offset: from + page.length,
      overlap: OVERLAP,
      lastIds: page.slice(-OVERLAP).map((user) => user.id),
    },
  };
}

export const applyPage = internalMutation({
  args: { users: v.array(v.object(clerkUserFields)), dryRun: v.boolean() },
  returns: v.object(counts),
  handler: async (ctx, { users, dryRun }) => {
    const result = { created: 0, updated: 0, unchanged: 0 };
    for (const user of users) {
      const outcome = await applyClerkUser(ctx, user, { dryRun });
      // `stale`: already this version or newer (a webhook got there first); `deleted_user`: tombstoned.
      if (outcome === "created" || outcome === "updated") result[outcome] += 1;
      else result.unchanged += 1;
    }
    return result;
  },
});

async function prunePage(ctx: ActionCtx, secretKey: string, current: Run): Promise<Run> {
  if (current.step.phase !== "prune") throw new Error("not a prune step");
  const local = await ctx.runQuery(internal.reconcile.localUsers, {
    paginationOpts: { cursor: current.step.cursor, numItems: CHECK_BATCH },
    createdBefore: Date.now() - RECENT_MS,
  });
  const totals = { ...current.totals };
  if (local.clerkIds.length > 0) {
    totals.pages += 1;
    const found = await getClerkUsers(secretKey, { user_id: local.clerkIds, limit: CHECK_BATCH });
    const existing = new Set(found.map((user) => user.id));
    for (const clerkId of local.clerkIds.filter((id) => !existing.has(id))) {
      // One transaction per user, the same mutation as the webhook's user.deleted (with its cascade).
      if (!current.dryRun) await ctx.runMutation(internal.users.deleteFromClerk, { clerkId });
      totals.deleted += 1;
    }
  }
  const step = local.isDone
    ? { phase: "done" as const }
    : { phase: "prune" as const, cursor: local.continueCursor };
  return { ...current, totals, step };
}

export const localUsers = internalQuery({
  args: { paginationOpts: paginationOptsValidator, createdBefore: v.number() },
  returns: v.object({ clerkIds: v.array(v.string()), continueCursor: v.string(), isDone: v.boolean() }),
  handler: async (ctx, { paginationOpts, createdBefore }) => {
    const page = await ctx.db.query("users").paginate(paginationOpts);
    return {
      clerkIds: page.page.filter((user) => user._creationTime < createdBefore).map((user) => user.clerkId),
      continueCursor: page.continueCursor,
      isDone: page.isDone,
    };
  },
});

/** A failed request worth repeating: a 429 (after Clerk's Retry-After), a 5xx, or no answer at all. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** `GET /v1/users`: a JSON array of Clerk's `UserJSON`, the same shape webhooks carry. */
async function getClerkUsers(
  secretKey: string,
  params: Record<string, string | number | string[]>,
): Promise<{ id: string }[]> {
  const url = new URL(`${CLERK_API}/users`);
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  const body = await clerkGet(url.toString(), secretKey);
  if (!Array.isArray(body)) throw new Error("sync:clerk: Clerk's API did not answer with a list of users");
  // Ids are all the paging needs; each user is parsed properly (or counted unreadable) in importPage.
  return body.filter((user): user is { id: string } => typeof user?.id === "string");
}

/** GETs JSON from Clerk: with the secret key for its Backend API, without for the issuer's public keys. */
async function clerkGet(url: string, secretKey?: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(
      url,
      secretKey === undefined ? {} : { headers: { Authorization: `Bearer ${secretKey}` } },
    );
  } catch (error) {
    throw new Retryable(`Clerk did not answer (${error instanceof Error ? error.message : error})`, 10_000);
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    throw new Retryable(
      "Clerk's rate limit (429)",
      (Number.isFinite(seconds) && seconds > 0 ? seconds : 10) * 1000,
    );
  }
  if (response.status >= 500) throw new Retryable(`Clerk answered ${response.status}`, 10_000);
  if (!response.ok) {
    const hint =
      response.status === 401 || response.status === 403
        ? ": CLERK_SECRET_KEY is not a valid secret key for this Clerk instance (Clerk dashboard → API keys)"
        : "";
    throw new Error(`sync:clerk: Clerk answered ${response.status} to GET ${new URL(url).pathname}${hint}`);
  }
  return await response.json();
}
