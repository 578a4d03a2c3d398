import { useWebEnv } from "../env.ts";

/** Clerk's script or its Frontend API did not load, so nobody can sign in: what to check. */
export function ClerkLoadError() {
  const { clerkFrontendApiHost: host } = useWebEnv();
  return (
    <article className="card" role="alert" aria-labelledby="clerk-error-title">
      <h1 id="clerk-error-title">Clerk could not load</h1>
      <p>
        The browser could not load Clerk, so sign-in is unavailable. The publishable key points at{" "}
        <code>{host}</code>. Check, in this order:
      </p>
      <ol>
        <li>
          This browser is online and can open <code>https://{host}</code> (an ad blocker or a company proxy
          can block it).
        </li>
        <li>
          <code>VITE_CLERK_PUBLISHABLE_KEY</code> in <code>apps/web/.env.local</code> is the Publishable key
          of an application that still exists (Clerk dashboard → Configure → API keys).
        </li>
        <li>
          A production key (<code>pk_live_…</code>) only works on the domain configured for it; use the
          development key (<code>pk_test_…</code>) on localhost.
        </li>
        <li>The browser console, which shows Clerk's own error message.</li>
      </ol>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </article>
  );
}
