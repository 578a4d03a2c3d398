/**
 * What the web app, the backend and the tools must agree on: the webhook's path and events, the token
 * row's version, and the checks of the config values (the Clerk publishable key, the Convex URL, the webhook
 * secret) with the webhook URL derived from them, so the web app, its setup guide and `pnpm setup:check`
 * accept and refuse the same values.
 */

// Present in every browser and in Node >= 16; this package is compiled without DOM or Node types.
declare function atob(base64: string): string;

/** The path of the HTTP action that receives Clerk's webhooks (see packages/backend/convex/http.ts). */
export const WEBHOOK_PATH = "/clerk-users-webhook";

/**
 * `users.clerkUpdatedAt` of a row made from the caller's token (api.users.ensureFromToken): below every real
 * `updated_at`, so Clerk's first event replaces it. `users.current` reports such a row as `source: "token"`.
 */
export const TOKEN_VERSION = 0;

/** The name a row gets when Clerk gives none; the web app's card then says how to get one at sign-in. */
export const UNNAMED_USER = "Unnamed user";

/** The user events the webhook handles: every endpoint subscribes to these in Clerk's dashboard. */
export const userEventTypes = ["user.created", "user.updated", "user.deleted"] as const;

/** The organization events it handles: subscribe to these too only with Clerk Organizations on. */
export const organizationEventTypes = [
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organizationMembership.created",
  "organizationMembership.updated",
  "organizationMembership.deleted",
] as const;

/** Every event the webhook handles. */
export const handledEventTypes = [...userEventTypes, ...organizationEventTypes] as const;

export type ClerkEventType = (typeof handledEventTypes)[number];

export function isHandledEventType(type: string): type is ClerkEventType {
  return (handledEventTypes as readonly string[]).includes(type);
}

/** Svix signs with keys of 24 bytes; a shorter one can be guessed, so it is refused rather than used. */
export const MIN_WEBHOOK_KEY_BYTES = 24;

/**
 * Checks a webhook signing secret (`whsec_` + base64 of the key) before it is used: the HTTP action answers
 * 500 for a bad one and `pnpm setup:check` says the same, so a placeholder or a truncated paste never
 * guards the endpoint. The error never quotes the secret.
 */
export function parseWebhookSecret(secret: string): Parsed<{ keyBytes: number }> {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  if (match === null)
    return { ok: false, error: "expected whsec_ followed by base64 (Clerk's Signing Secret)" };
  const encoded = match[1] ?? "";
  let keyBytes: number;
  try {
    keyBytes = atob(encoded).length;
  } catch {
    return { ok: false, error: "the part after whsec_ is not valid base64 (was it cut short?)" };
  }
  if (keyBytes < MIN_WEBHOOK_KEY_BYTES) {
    return {
      ok: false,
      error: `its key is ${keyBytes} bytes; Clerk's are ${MIN_WEBHOOK_KEY_BYTES} or more (a placeholder, or cut short?)`,
    };
  }
  return { ok: true, value: { keyBytes } };
}

export type ClerkInstance = "development" | "production";

export type PublishableKey = {
  instance: ClerkInstance;
  /** The Frontend API host the key points at, e.g. `happy-otter-12.clerk.accounts.dev` or `clerk.example.com`. */
  frontendApiHost: string;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const hostPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * A publishable key is `pk_test_` or `pk_live_` followed by base64 of `<frontend api host>$`. Decoding it is
 * how a wrong paste (a secret key, a truncated key, a key from another product) is caught before Clerk loads.
 */
export function parsePublishableKey(key: string): Parsed<PublishableKey> {
  const match = /^pk_(test|live)_([A-Za-z0-9+/]+={0,2})$/.exec(key.trim());
  if (match === null) {
    const hint = key.startsWith("sk_") ? " (that is a secret key: never put it in the web app)" : "";
    return { ok: false, error: `expected pk_test_… or pk_live_…${hint}` };
  }
  const [, kind, encoded = ""] = match;
  let decoded: string;
  try {
    decoded = atob(encoded);
  } catch {
    return { ok: false, error: "the part after pk_test_/pk_live_ is not valid base64 (was it cut short?)" };
  }
  const host = decoded.endsWith("$") ? decoded.slice(0, -1) : "";
  if (!hostPattern.test(host)) {
    return { ok: false, error: "it does not decode to a Clerk Frontend API host (was it cut short?)" };
  }
  return {
    ok: true,
    value: { instance: kind === "live" ? "production" : "development", frontendApiHost: host },
  };
}

export type ConvexUrl = {
  /** The client URL, trimmed, without a trailing slash. */
  url: string;
  /** Where the deployment serves HTTP actions, when the URL says (Convex cloud, a local backend). */
  siteUrl: string | undefined;
  /** A deployment on this machine, which Clerk's servers cannot reach. */
  local: boolean;
};

const hostAndPort = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[::1\])(?::(\d{1,5}))?$/i;
const localHosts = new Set(["127.0.0.1", "localhost", "0.0.0.0", "[::1]"]);

/**
 * The Convex URL check that the web app, its setup guide and `pnpm setup:check` share. Any `https://` origin
 * is a deployment (Convex cloud, a custom domain, a self-hosted backend); plain `http://` only on this
 * machine, since a browser on an https page refuses it anywhere else. The site URL is known for Convex
 * cloud (`.convex.cloud` → `.convex.site`) and for a local backend (the CLI serves HTTP actions on the next
 * port, 3210 → 3211); for any other host it is on the dashboard, so it stays undefined.
 */
export function parseConvexUrl(
  raw: string,
): { ok: true; value: ConvexUrl } | { ok: false; error: string; suggestion?: string } {
  const url = raw.trim().replace(/\/+$/, "");
  const expected =
    "expected https://<name>.convex.cloud, your deployment's own https:// domain, or http://127.0.0.1:<port> for a local backend";
  const match = /^(https?):\/\/([^/?#\s]+)$/i.exec(url);
  const parts = match === null ? null : hostAndPort.exec(match[2] ?? "");
  if (match === null || parts === null) return { ok: false, error: `not a URL: ${expected}` };
  const scheme = (match[1] ?? "").toLowerCase();
  const host = (parts[1] ?? "").toLowerCase();
  const port = parts[2];
  const local = localHosts.has(host);
  if (host.endsWith(".convex.site")) {
    const cloud = `https://${host.replace(/\.convex\.site$/, ".convex.cloud")}`;
    return {
      ok: false,
      error: `this is the HTTP actions URL (.convex.site); the client needs ${cloud}`,
      suggestion: cloud,
    };
  }
  if (scheme === "http" && !local) {
    return {
      ok: false,
      error: "plain http:// works only for a local backend (localhost or 127.0.0.1); use the https:// URL",
      suggestion: `https://${match[2]}`,
    };
  }
  let siteUrl: string | undefined;
  if (host.endsWith(".convex.cloud")) siteUrl = `https://${host.replace(/\.convex\.cloud$/, ".convex.site")}`;
  else if (local && port !== undefined) siteUrl = `${scheme}://${host}:${Number(port) + 1}`;
  return { ok: true, value: { url, siteUrl, local } };
}

/** The deployment's HTTP actions host when the URL says it (see parseConvexUrl), else undefined. */
export function convexSiteUrl(convexUrl: string): string | undefined {
  const parsed = parseConvexUrl(convexUrl);
  return parsed.ok ? parsed.value.siteUrl : undefined;
}

/** Where to find the webhook's host when the Convex URL does not say (custom domain, self-hosted). */
export const SITE_URL_HINT =
  "your deployment's HTTP Actions URL (Convex dashboard → Settings → General; self-hosted: CONVEX_SITE_ORIGIN)";

/** The URL to paste into Clerk → Webhooks → Add endpoint. */
export function webhookUrl(siteUrl: string): string {
  return `${siteUrl.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
}
