export type ClerkLoadFailure = "failed" | "timeout";

type Props = {
  reason: ClerkLoadFailure;
  /** Decoded from the publishable key: the host the browser had to reach. */
  frontendApiHost: string;
};

/** State 2: Clerk's script or its Frontend API did not answer, so nobody can sign in. */
export function ClerkLoadError({ reason, frontendApiHost }: Props) {
  return (
    <article className="card" role="alert" aria-labelledby="clerk-error-title">
      <h1 id="clerk-error-title">Clerk could not load</h1>
      <p>
        {reason === "failed"
          ? "The browser could not load Clerk, so sign-in is unavailable."
          : "Clerk has not finished loading after 10 seconds, so sign-in is unavailable."}{" "}
        The key points at <code>{frontendApiHost}</code>. Check, in this order:
      </p>
      <ol>
        <li>
          This browser is online and can open <code>https://{frontendApiHost}</code> (an ad blocker or a
          company proxy can block it).
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
