/**
 * Test double for the parts of @clerk/react the app uses, driven by `clerk` below. Tests swap it in with
 * `vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"))`. The control components follow
 * @clerk/react 6's own rules (ClerkLoading = status "loading", ClerkFailed = "error", Show renders nothing
 * until Clerk has loaded).
 */
import type { ReactNode } from "react";

type FakeClerkState = {
  status: "loading" | "ready" | "error";
  signedIn: boolean;
  userId: string;
  /** The session token's claims; Clerk's Convex integration adds `aud: "convex"`. */
  sessionClaims: Record<string, unknown>;
  /** A task that keeps the signed-in session pending (Clerk's hooks then count it as signed out). */
  pendingTask: "choose-organization" | "reset-password" | "setup-mfa" | null;
  /** The active organization, and the ids of the organizations the user belongs to. */
  orgId: string | null;
  organizations: string[];
};

export const clerk: FakeClerkState = {
  status: "loading",
  signedIn: false,
  userId: "",
  sessionClaims: {},
  pendingTask: null,
  orgId: null,
  organizations: [],
};

export function resetClerk(): void {
  clerk.status = "loading";
  clerk.signedIn = false;
  clerk.userId = "user_2aVxQmFakeAda";
  clerk.sessionClaims = { aud: "convex" };
  clerk.pendingTask = null;
  clerk.orgId = null;
  clerk.organizations = [];
}

/** Signed in as far as Clerk's hooks say by default: a pending session counts as signed out. */
function activeSession(): boolean {
  return clerk.signedIn && clerk.pendingTask === null;
}

type WithChildren = { children?: ReactNode };

export function ClerkProvider({ children }: WithChildren) {
  return <>{children}</>;
}

export function ClerkLoading({ children }: WithChildren) {
  return clerk.status === "loading" ? children : null;
}

export function ClerkFailed({ children }: WithChildren) {
  return clerk.status === "error" ? children : null;
}

export function ClerkLoaded({ children }: WithChildren) {
  return clerk.status === "ready" ? children : null;
}

export function Show({
  when,
  treatPendingAsSignedOut = true,
  children,
}: WithChildren & { when: "signed-in" | "signed-out"; treatPendingAsSignedOut?: boolean }) {
  if (clerk.status !== "ready") return null;
  const signedIn = treatPendingAsSignedOut ? activeSession() : clerk.signedIn;
  return signedIn === (when === "signed-in") ? children : null;
}

// Clerk's buttons wrap the child they are given and attach the click handler to it.
export function SignInButton({ children }: WithChildren) {
  return <>{children}</>;
}

export function SignOutButton({ children }: WithChildren) {
  return <>{children}</>;
}

export function UserButton() {
  return <div data-testid="clerk-user-button" />;
}

export function OrganizationSwitcher() {
  return <div data-testid="clerk-organization-switcher" />;
}

// Clerk's task screens; `redirectUrlComplete` is required by their props.
export function TaskChooseOrganization(_: { redirectUrlComplete: string }) {
  return <div data-testid="clerk-task-choose-organization" />;
}

export function TaskResetPassword(_: { redirectUrlComplete: string }) {
  return <div data-testid="clerk-task-reset-password" />;
}

export function TaskSetupMFA(_: { redirectUrlComplete: string }) {
  return <div data-testid="clerk-task-setup-mfa" />;
}

export function useUser() {
  if (!activeSession()) return { isLoaded: clerk.status === "ready", isSignedIn: false, user: null };
  const organizationMemberships = clerk.organizations.map((id) => ({ organization: { id } }));
  return { isLoaded: true, isSignedIn: true, user: { id: clerk.userId, organizationMemberships } };
}

/** Like Clerk's: the session even when pending (then with its task), and `isSignedIn` false for it. */
export function useSession() {
  if (clerk.status !== "ready") return { isLoaded: false, isSignedIn: undefined, session: undefined };
  if (!clerk.signedIn) return { isLoaded: true, isSignedIn: false, session: null };
  const pending = clerk.pendingTask !== null;
  return {
    isLoaded: true,
    isSignedIn: !pending,
    session: {
      id: "sess_fake",
      status: pending ? "pending" : "active",
      currentTask: pending ? { key: clerk.pendingTask } : undefined,
    },
  };
}

export function useAuth() {
  return {
    isLoaded: clerk.status === "ready",
    isSignedIn: clerk.status === "ready" ? activeSession() : undefined,
    getToken: async () => null,
    orgId: activeSession() ? clerk.orgId : null,
    orgRole: null,
    sessionId: activeSession() ? "sess_fake" : null,
    userId: activeSession() ? clerk.userId : null,
    sessionClaims: activeSession() ? clerk.sessionClaims : null,
  };
}
