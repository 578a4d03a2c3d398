import { SignInButton } from "@clerk/react";

/** Signed out: what the starter demonstrates, and the way in. */
export function SignedOutHome() {
  return (
    <article className="card" aria-labelledby="home-title">
      <h1 id="home-title">Clerk sign-in, synced to Convex</h1>
      <p>
        Sign in with Clerk and this app's Convex backend keeps you in its <code>users</code> table: created
        from your sign-in at once, then kept in step by Clerk's signed webhooks whenever your profile changes.
        The page reads it live, so every change shows without a reload.
      </p>
      <SignInButton mode="modal">
        <button type="button" className="button">
          Sign in
        </button>
      </SignInButton>
    </article>
  );
}
