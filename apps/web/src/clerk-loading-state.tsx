import { useEffect, useState } from "react";
import { ClerkLoadError } from "./clerk-load-error.tsx";
import { onClerkScriptFailure } from "./clerk-script-failure.ts";
import { useDelayPassed } from "./use-delay-passed.ts";

/** Clerk's script can hang rather than fail (a stalled proxy): after this long we explain instead of spinning. */
export const CLERK_LOAD_TIMEOUT_MS = 10_000;

/** Shown while Clerk loads; turns into the load error when the script fails or the timeout passes. */
export function ClerkLoadingState({ frontendApiHost }: { frontendApiHost: string }) {
  const timedOut = useDelayPassed(CLERK_LOAD_TIMEOUT_MS);
  const [scriptFailed, setScriptFailed] = useState(false);
  useEffect(() => onClerkScriptFailure(() => setScriptFailed(true)), []);

  if (scriptFailed) return <ClerkLoadError reason="failed" frontendApiHost={frontendApiHost} />;
  if (timedOut) return <ClerkLoadError reason="timeout" frontendApiHost={frontendApiHost} />;
  return (
    <p className="status" role="status">
      <span className="spinner" aria-hidden="true" /> Loading Clerk…
    </p>
  );
}
