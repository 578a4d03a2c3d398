/**
 * @clerk/react 6 retries its script a few times and then rethrows the failure from a promise nobody awaits
 * (its own status only turns to "error" 15 s later). That rejection is the earliest sure sign that Clerk
 * cannot load: we take it as the failure signal, log it ourselves and keep it from surfacing as an uncaught
 * error.
 */
const CLERK_SCRIPT_FAILURE_CODE = "failed_to_load_clerk_js";

function isClerkScriptFailure(reason: unknown): boolean {
  return (
    typeof reason === "object" &&
    reason !== null &&
    "code" in reason &&
    reason.code === CLERK_SCRIPT_FAILURE_CODE
  );
}

/** Calls `onFailure` when Clerk gives up loading its script; returns the unsubscribe function. */
export function onClerkScriptFailure(onFailure: () => void): () => void {
  const listener = (event: PromiseRejectionEvent) => {
    if (!isClerkScriptFailure(event.reason)) return;
    event.preventDefault();
    console.error(event.reason);
    onFailure();
  };
  window.addEventListener("unhandledrejection", listener);
  return () => window.removeEventListener("unhandledrejection", listener);
}
