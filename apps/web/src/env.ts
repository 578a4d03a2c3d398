/**
 * The only module that reads `import.meta.env`. Vite bakes these values in when it starts (dev) or builds,
 * so a wrong value is reported here, once, as a list of problems the setup guide can show. Components read
 * the checked values with `useWebEnv()`.
 */
import { convexSiteUrl, parsePublishableKey } from "@repo/shared/config";
import { createContext, useContext } from "react";

export type WebEnv = {
  /** The Convex deployment's client URL, without a trailing slash. */
  convexUrl: string;
  clerkPublishableKey: string;
  /** The Frontend API host decoded from the key: where the browser fetches Clerk from. */
  clerkFrontendApiHost: string;
};

export type EnvVarName = "VITE_CONVEX_URL" | "VITE_CLERK_PUBLISHABLE_KEY";

export type EnvProblem = {
  variable: EnvVarName;
  kind: "missing" | "malformed";
  /** What is wrong, in one sentence. */
  problem: string;
  /** The exact step that fixes it. */
  fix: string;
};

export type EnvResult = { ok: true; env: WebEnv } | { ok: false; problems: EnvProblem[] };

type RawEnv = Partial<Record<EnvVarName, string | undefined>>;

const CONVEX_FIX =
  "With the Clerk key in place, run `pnpm setup:convex` at the repository root; it creates the deployment and writes VITE_CONVEX_URL to apps/web/.env.local.";
const CLERK_FIX =
  "In the Clerk dashboard open Configure → API keys, copy the Publishable key and set VITE_CLERK_PUBLISHABLE_KEY=pk_test_… in apps/web/.env.local.";

function checkConvexUrl(raw: string | undefined): { value: string } | EnvProblem {
  const value = raw?.trim().replace(/\/+$/, "") ?? "";
  const base = { variable: "VITE_CONVEX_URL", fix: CONVEX_FIX } as const;
  if (value === "") return { ...base, kind: "missing", problem: "VITE_CONVEX_URL is not set." };
  // The shared parser knows every URL whose HTTP actions host it can derive, which is exactly what we need.
  if (convexSiteUrl(value) !== undefined) return { value };
  if (/\.convex\.site$/.test(value)) {
    return {
      ...base,
      kind: "malformed",
      problem: `"${value}" is the HTTP actions URL (.convex.site); the client needs the .convex.cloud URL.`,
      fix: `Set VITE_CONVEX_URL=${value.replace(/\.convex\.site$/, ".convex.cloud")} in apps/web/.env.local.`,
    };
  }
  return {
    ...base,
    kind: "malformed",
    problem: `"${value}" is not a Convex URL (https://<name>.convex.cloud, or http://127.0.0.1:<port> for a local backend).`,
  };
}

function checkClerkKey(raw: string | undefined): { value: string; host: string } | EnvProblem {
  const value = raw?.trim() ?? "";
  const base = { variable: "VITE_CLERK_PUBLISHABLE_KEY", fix: CLERK_FIX } as const;
  if (value === "") return { ...base, kind: "missing", problem: "VITE_CLERK_PUBLISHABLE_KEY is not set." };
  if (value.startsWith("sk_")) {
    return {
      ...base,
      kind: "malformed",
      problem:
        "This is Clerk's secret key (sk_…), which must never reach a browser. The web app needs the publishable key (pk_…).",
      fix: "Replace it with the Publishable key from Configure → API keys, and rotate the secret key in the Clerk dashboard if it was ever committed or deployed.",
    };
  }
  const parsed = parsePublishableKey(value);
  if (parsed.ok) return { value, host: parsed.value.frontendApiHost };
  return { ...base, kind: "malformed", problem: `This is not a Clerk publishable key: ${parsed.error}.` };
}

/** Validates raw variables; pure so that tests can feed it any combination. */
export function parseEnv(raw: RawEnv): EnvResult {
  const convex = checkConvexUrl(raw.VITE_CONVEX_URL);
  const clerk = checkClerkKey(raw.VITE_CLERK_PUBLISHABLE_KEY);
  if ("value" in convex && "value" in clerk) {
    return {
      ok: true,
      env: { convexUrl: convex.value, clerkPublishableKey: clerk.value, clerkFrontendApiHost: clerk.host },
    };
  }
  // In the order of the README's setup: Clerk's key first, since `pnpm setup:convex` reads it.
  const problems: EnvProblem[] = [];
  if (!("value" in clerk)) problems.push(clerk);
  if (!("value" in convex)) problems.push(convex);
  return { ok: false, problems };
}

export function readEnv(): EnvResult {
  return parseEnv({
    VITE_CONVEX_URL: import.meta.env.VITE_CONVEX_URL,
    VITE_CLERK_PUBLISHABLE_KEY: import.meta.env.VITE_CLERK_PUBLISHABLE_KEY,
  });
}

/** Provided once by app.tsx, so no component passes the configuration down by hand. */
export const WebEnvContext = createContext<WebEnv | null>(null);

export function useWebEnv(): WebEnv {
  const env = useContext(WebEnvContext);
  if (env === null) throw new Error("useWebEnv() outside <WebEnvContext>: render it inside <App>");
  return env;
}
