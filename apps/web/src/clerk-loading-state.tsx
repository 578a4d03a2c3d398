import { ClerkLoadError } from "./clerk-load-error.tsx";
import { useDelayPassed } from "./use-delay-passed.ts";

/** Clerk's script can hang rather than fail (a stalled proxy): after this long we explain instead of spinning. */
export const CLERK_LOAD_TIMEOUT_MS = 10_000;

/** Shown while Clerk loads; turns into the load error after the timeout. */
export function ClerkLoadingState({ frontendApiHost }: { frontendApiHost: string }) {
  const timedOut = useDelayPassed(CLERK_LOAD_TIMEOUT_MS);
  if (timedOut) return <ClerkLoadError reason="timeout" frontendApiHost={frontendApiHost} />;
  return (
    <p className="status" role="status">
      <span className="spinner" aria-hidden="true" /> Loading Clerk…
    </p>
  );
}
