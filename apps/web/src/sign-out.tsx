import { SignOutButton } from "@clerk/react";

/** Clerk's sign-out, as the secondary button every signed-in screen offers. */
export function SignOut() {
  return (
    <SignOutButton>
      <button type="button" className="button button-secondary">
        Sign out
      </button>
    </SignOutButton>
  );
}
