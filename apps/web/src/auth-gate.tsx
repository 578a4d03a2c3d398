import {
  ClerkFailed,
  ClerkLoaded,
  ClerkLoading,
  Show,
  TaskChooseOrganization,
  TaskResetPassword,
  TaskSetupMFA,
  useSession,
} from "@clerk/react";
import { lazy, Suspense } from "react";
import { SignedOutHome } from "./signed-out-home.tsx";
import { Status } from "./status.tsx";

// Everything that talks to Convex, fetched only once Clerk reports a session (about 24 KB gzip).
const SignedIn = lazy(() => import("./signed-in.tsx").then((module) => ({ default: module.SignedIn })));
// Only needed when Clerk fails, so it stays out of the first download.
const ClerkLoadError = lazy(() =>
  import("./diagnostics/clerk-load-error.tsx").then((module) => ({ default: module.ClerkLoadError })),
);

/** Picks what to show from Clerk's state; signed-in.tsx takes over once there is a session. */
export function AuthGate() {
  return (
    <>
      <ClerkLoading>
        <Status label="Loading Clerk…" slow="clerk" />
      </ClerkLoading>
      <ClerkFailed>
        <Suspense fallback={null}>
          <ClerkLoadError />
        </Suspense>
      </ClerkFailed>
      <ClerkLoaded>
        {/* A pending session (a task such as choosing an organization left) is neither signed out nor in. */}
        <Show when="signed-out" treatPendingAsSignedOut={false}>
          <SignedOutHome />
        </Show>
        <PendingSession />
        <Show when="signed-in">
          <Suspense fallback={<Status label="Signing you in…" />}>
            <SignedIn />
          </Suspense>
        </Show>
      </ClerkLoaded>
    </>
  );
}

const tasks = {
  "choose-organization": TaskChooseOrganization,
  "reset-password": TaskResetPassword,
  "setup-mfa": TaskSetupMFA,
};

/**
 * Clerk keeps a session pending until the user finishes a task: since 2025-08 "membership required" is the
 * default for organizations, so the user must first choose or create one. Clerk's own screen for it.
 */
function PendingSession() {
  const { session } = useSession();
  const task = session?.status === "pending" ? session.currentTask?.key : undefined;
  if (task === undefined) return null;
  const Task = tasks[task];
  return (
    <article className="card">
      <Task redirectUrlComplete="/" />
    </article>
  );
}
