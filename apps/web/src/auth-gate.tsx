import { ClerkFailed, ClerkLoaded, ClerkLoading, Show } from "@clerk/react";
import { lazy, Suspense } from "react";
import { ClerkLoadError } from "./clerk-load-error.tsx";
import { ClerkLoadingState } from "./clerk-loading-state.tsx";
import { SignedOutHome } from "./signed-out-home.tsx";

const SignedInApp = lazy(() =>
  import("./signed-in-app.tsx").then((module) => ({ default: module.SignedInApp })),
);

type Props = { convexUrl: string; frontendApiHost: string };

// #region gate
/** Picks the state to show from Clerk's load status and the session (states 2 to 5). */
export function AuthGate({ convexUrl, frontendApiHost }: Props) {
  return (
    <>
      <ClerkLoading>
        <ClerkLoadingState frontendApiHost={frontendApiHost} />
      </ClerkLoading>
      <ClerkFailed>
        <ClerkLoadError reason="failed" frontendApiHost={frontendApiHost} />
      </ClerkFailed>
      <ClerkLoaded>
        <Show when="signed-out">
          <SignedOutHome />
        </Show>
        <Show when="signed-in">
          <Suspense fallback={<p role="status">Loading your profile…</p>}>
            <SignedInApp convexUrl={convexUrl} frontendApiHost={frontendApiHost} />
          </Suspense>
        </Show>
      </ClerkLoaded>
    </>
  );
}
// #endregion gate
