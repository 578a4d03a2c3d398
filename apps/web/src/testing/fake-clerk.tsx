/**
 * Test double for the parts of @clerk/react the app uses, driven by `clerk` below. Tests swap it in with
 * `vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"))`. The control components follow
 * @clerk/react 6's own rules (ClerkLoading = status "loading", ClerkFailed = "error", Show renders nothing
 * until Clerk has loaded).
 */
import type { ReactNode } from "react";

export type FakeClerkState = {
  status: "loading" | "ready" | "error";
  signedIn: boolean;
  userId: string;
  /** The session token's claims; Clerk's Convex integration adds `aud: "convex"`. */
  sessionClaims: Record<string, unknown>;
};

export const clerk: FakeClerkState = { status: "loading", signedIn: false, userId: "", sessionClaims: {} };

export function resetClerk(): void {
  clerk.status = "loading";
  clerk.signedIn = false;
  clerk.userId = "user_2aVxQmFakeAda";
  clerk.sessionClaims = { aud: "convex" };
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

export function Show({ when, children }: WithChildren & { when: "signed-in" | "signed-out" }) {
  if (clerk.status !== "ready") return null;
  return clerk.signedIn === (when === "signed-in") ? children : null;
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

export function useAuth() {
  return {
    isLoaded: clerk.status === "ready",
    isSignedIn: clerk.status === "ready" ? clerk.signedIn : undefined,
    getToken: async () => null,
    orgId: null,
    orgRole: null,
    sessionId: clerk.signedIn ? "sess_fake" : null,
    userId: clerk.signedIn ? clerk.userId : null,
    sessionClaims: clerk.signedIn ? clerk.sessionClaims : null,
  };
}
