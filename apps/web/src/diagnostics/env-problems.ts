/**
 * What is wrong with the web app's two public values, in words the setup guide shows: each problem with the
 * exact step that fixes it. env.ts decides whether the values are usable; this says why not.
 */
import { parseConvexUrl, parsePublishableKey } from "@repo/shared/config";
import type { EnvVarName, RawEnv } from "../env.ts";

export type EnvProblem = {
  variable: EnvVarName;
  kind: "missing" | "malformed";
  /** What is wrong with the value, in one sentence; a missing value's heading says it all. */
  problem?: string;
  /** The exact step that fixes it. */
  fix: string;
  /** What the fix has you paste, exactly (a command or a line of .env.local): the guide's copy box. */
  copy?: string;
};

const CONVEX_FIX =
  "With the Clerk key in place, run `pnpm setup:convex` at the repository root; it creates the deployment and writes VITE_CONVEX_URL to apps/web/.env.local.";
// The key itself is only in the dashboard, so the guide has nothing to copy for it: the dashboard copies it.
const CLERK_FIX =
  "In the Clerk dashboard open Configure → API keys, copy the Publishable key (`pk_test_…`) and set `VITE_CLERK_PUBLISHABLE_KEY` to it in `apps/web/.env.local`.";

function convexUrlProblem(raw: string | undefined): EnvProblem | undefined {
  const value = raw?.trim() ?? "";
  const base = { variable: "VITE_CONVEX_URL", fix: CONVEX_FIX, copy: "pnpm setup:convex" } as const;
  if (value === "") return { ...base, kind: "missing" };
  const parsed = parseConvexUrl(value);
  if (parsed.ok) return undefined;
  return {
    ...base,
    kind: "malformed",
    problem: `"${value}" is refused: ${parsed.error}.`,
    ...(parsed.suggestion === undefined
      ? {}
      : {
          fix: "Put this line in `apps/web/.env.local` in place of the old one: the same deployment's client URL.",
          copy: `VITE_CONVEX_URL=${parsed.suggestion}`,
        }),
  };
}

function clerkKeyProblem(raw: string | undefined): EnvProblem | undefined {
  const value = raw?.trim() ?? "";
  const base = { variable: "VITE_CLERK_PUBLISHABLE_KEY", fix: CLERK_FIX } as const;
  if (value === "") return { ...base, kind: "missing" };
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
  if (parsed.ok) return undefined;
  return { ...base, kind: "malformed", problem: `This is not a Clerk publishable key: ${parsed.error}.` };
}

/** Every problem, in the order of the README's setup: Clerk's key first, since `pnpm setup:convex` reads it. */
export function envProblems(raw: RawEnv): EnvProblem[] {
  return [clerkKeyProblem(raw.VITE_CLERK_PUBLISHABLE_KEY), convexUrlProblem(raw.VITE_CONVEX_URL)].filter(
    (problem): problem is EnvProblem => problem !== undefined,
  );
}
