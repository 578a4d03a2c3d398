import { useWebEnv } from "../env.ts";
import { useDelayPassed } from "../use-delay-passed.ts";

/** How long a load may take before the page says what usually holds it up. */
export const SLOW_AFTER_MS = 5_000;

/** Under a loading status: after a few seconds, what to check, so a wait never turns into a bare spinner. */
export function SlowHint({ on }: { on: "clerk" | "convex" }) {
  const slow = useDelayPassed(SLOW_AFTER_MS);
  const { clerkFrontendApiHost, convexUrl } = useWebEnv();
  if (!slow) return null;
  return on === "clerk" ? (
    <p className="muted">
      Still loading Clerk from <code>{clerkFrontendApiHost}</code>. An ad blocker, a company proxy or being
      offline stops it; if it cannot load, this page says so within about 15 seconds.
    </p>
  ) : (
    <p className="muted">
      Convex at <code>{convexUrl}</code> has not answered yet. Check that the deployment is running (
      <code>pnpm dev</code> starts <code>convex dev</code>) and that <code>VITE_CONVEX_URL</code> in{" "}
      <code>apps/web/.env.local</code> is its URL.
    </p>
  );
}
