/**
 * The only module that reads `import.meta.env`. Vite bakes these values in when it starts (dev) or builds;
 * they are usable or they are not, and the setup guide (diagnostics/env-problems.ts) says why not.
 * Components read the checked values with `useWebEnv()`.
 */
import { parseConvexUrl, parsePublishableKey } from "@repo/shared/config";
import { createContext, useContext } from "react";

export type WebEnv = {
  /** The Convex deployment's client URL, without a trailing slash. */
  convexUrl: string;
  clerkPublishableKey: string;
  /** The Frontend API host decoded from the key: where the browser fetches Clerk from. */
  clerkFrontendApiHost: string;
};

export type EnvVarName = "VITE_CONVEX_URL" | "VITE_CLERK_PUBLISHABLE_KEY";

export type RawEnv = Partial<Record<EnvVarName, string | undefined>>;

/** The configuration when both values are usable, else undefined. Pure, so tests can feed it anything. */
export function parseEnv(raw: RawEnv): WebEnv | undefined {
  const clerkPublishableKey = raw.VITE_CLERK_PUBLISHABLE_KEY?.trim() ?? "";
  const key = parsePublishableKey(clerkPublishableKey);
  const convex = parseConvexUrl(raw.VITE_CONVEX_URL ?? "");
  if (!key.ok || !convex.ok) return undefined;
  return {
    convexUrl: convex.value.url,
    clerkPublishableKey,
    clerkFrontendApiHost: key.value.frontendApiHost,
  };
}

export function readRawEnv(): RawEnv {
  return {
    VITE_CONVEX_URL: import.meta.env.VITE_CONVEX_URL,
    VITE_CLERK_PUBLISHABLE_KEY: import.meta.env.VITE_CLERK_PUBLISHABLE_KEY,
  };
}

/** Provided once by app.tsx, so no component passes the configuration down by hand. */
export const WebEnvContext = createContext<WebEnv | null>(null);

export function useWebEnv(): WebEnv {
  const env = useContext(WebEnvContext);
  if (env === null) throw new Error("useWebEnv() outside <WebEnvContext>: render it inside <App>");
  return env;
}
