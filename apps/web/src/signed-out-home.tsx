import { SignInButton } from "@clerk/react";

/** State 3: what the starter demonstrates, and the way in. */
export function SignedOutHome() {
  return (
    <article className="card" aria-labelledby="home-title">
      <h1 id="home-title">Clerk sign-in, synced to Convex</h1>
      <p>
        Sign in with Clerk. Clerk then sends a signed webhook to this app's Convex backend, which stores you
        in its <code>users</code> table. This page reads that row live from Convex: your profile appears the
        moment the webhook lands, without a reload.
      </p>
      <SignInButton mode="modal">
        <button type="button" className="button">
          Sign in
        </button>
      </SignInButton>
    </article>
  );
}
