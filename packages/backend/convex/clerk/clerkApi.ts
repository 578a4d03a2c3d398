/**
 * Clerk's Backend API as `pnpm sync:clerk` uses it: GETs with the secret key, each with a timeout; a 429, a
 * 5xx or no answer is worth repeating (Retryable), any other failure ends the run (Stop).
 */
export const CLERK_API = "https://api.clerk.com/v1";
/** Clerk's largest page (`limit` 1–500). It may answer fewer (a cap of its own): only an empty page ends a list. */
export const PAGE_SIZE = 500;
/** The longest wait a Retry-After may ask for; a longer one is Clerk misbehaving, not a rate limit. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;
/** A request Clerk has not answered by then is abandoned and retried: a hung request must not hang the run. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The wait before repeating a request that failed without a Retry-After. */
const RETRY_MS = 10_000;

export type Kind = "users" | "organizations" | "memberships";

/** Ends the run with a message for the person who started it. */
export class Stop extends Error {}

/** A failed request worth repeating: a 429 (after Clerk's Retry-After, capped), a 5xx, or no answer in time. */
export class Retryable extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

const NOT_FOUND = Symbol("not found");
export const ORGS_DISABLED = Symbol("organizations not enabled");

/** GETs JSON from Clerk: with the secret key for its Backend API, without for the issuer's public keys. */
async function clerkGet(url: string, secretKey?: string, { notFound = false } = {}): Promise<unknown> {
  // A timer of our own rather than AbortSignal.timeout: it behaves the same in every runtime and under test clocks.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)),
    REQUEST_TIMEOUT_MS,
  );
  const headers = secretKey === undefined ? undefined : { Authorization: `Bearer ${secretKey}` };
  try {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal });
    } catch (error) {
      throw new Retryable(`Clerk did not answer (${errorMessage(error)})`, RETRY_MS);
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get("retry-after"));
      const asked = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : RETRY_MS;
      throw new Retryable("Clerk's rate limit (429)", Math.min(asked, MAX_RETRY_AFTER_MS));
    }
    if (response.status >= 500) throw new Retryable(`Clerk answered ${response.status}`, RETRY_MS);
    if (notFound && response.status === 404) return NOT_FOUND;
    if (response.status === 403) {
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
    try {
      return await response.json();
    } catch (error) {
      // The body can stall after the headers (the timer aborts it) or break off: both worth another try.
      throw new Retryable(`Clerk's answer did not arrive whole (${errorMessage(error)})`, RETRY_MS);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A page of one of Clerk's lists, oldest first, each entry with its `id` (the JSON webhooks carry), or
 * ORGS_DISABLED when Clerk says the instance has no organizations.
 */
export async function listClerk(
  secretKey: string,
  kind: Kind,
  position: Record<string, string | number>,
): Promise<{ id: string }[] | typeof ORGS_DISABLED> {
  // `GET /v1/users` answers an array, the other two `{ data, total_count }`.
  const url = new URL(`${CLERK_API}/${kind === "memberships" ? "organization_memberships" : kind}`);
  for (const [key, value] of Object.entries({ order_by: "+created_at", ...position, limit: PAGE_SIZE }))
    url.searchParams.set(key, String(value));
  const body = await clerkGet(url.toString(), secretKey);
  if (body === ORGS_DISABLED) return body;
  const list = kind === "users" ? body : (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(list) || !list.every((row) => typeof row?.id === "string")) {
    throw new Stop(`Clerk's API did not answer with a list of ${kind} with ids; nothing more was changed.`);
  }
  return list as { id: string }[];
}

/**
 * Clerk's word about one id: true when it is gone, else the request that shows it exists. A user or an
 * organization is gone on a 404 for `GET /v1/users/{id}` or `/v1/organizations/{id}`. Clerk has no lookup of
 * one membership (`org/user`): `GET /v1/organizations/{org}/memberships?user_id={user}` must answer none, or
 * 404 (the organization went, and its memberships with it).
 */
export async function confirmGone(secretKey: string, kind: Kind, id: string): Promise<true | string> {
  const [org = "", user = ""] = id.split("/");
  const path =
    kind === "memberships"
      ? `/v1/organizations/${encodeURIComponent(org)}/memberships?user_id=${encodeURIComponent(user)}`
      : `/v1/${kind}/${encodeURIComponent(id)}`;
  const found = await clerkGet(`https://api.clerk.com${path}`, secretKey, { notFound: true });
  if (found === NOT_FOUND) return true;
  // Any other answer, whatever it holds, is not Clerk saying that this one id is gone.
  const data = (found as { data?: unknown } | null)?.data;
  return kind === "memberships" && Array.isArray(data) && data.length === 0 ? true : `GET ${path}`;
}

/**
 * Stops the run unless the secret key belongs to the Clerk instance the deployment trusts
 * (CLERK_JWT_ISSUER_DOMAIN), as another instance's key would list none of your users: the two publish their
 * signing keys (`GET /v1/jwks` with the key, the issuer's `/.well-known/jwks.json`), and must share one.
 */
export async function checkKey(secretKey: string): Promise<void> {
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
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
