/** The page's states from sign-in to the user on screen, with @clerk/react and convex/react faked. */
import { act, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SLOW_AFTER_MS } from "./diagnostics/slow-hint.tsx";
import { WEBHOOK_NOTE_AFTER_MS } from "./diagnostics/webhook-note.tsx";
import { clerk, resetClerk } from "./testing/fake-clerk.tsx";
import { convex, push, resetConvex } from "./testing/fake-convex.tsx";
import { renderApp, settle } from "./testing/render-app.tsx";
import { sampleUser } from "./testing/sample-data.ts";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));
vi.mock("convex/react-clerk", () => import("./testing/fake-convex.tsx"));

/** Only timers are faked: promises (lazy chunks, mutations) still settle. */
function fakeTimers() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
}

beforeEach(() => {
  resetClerk();
  resetConvex();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("while Clerk loads, and when it cannot", () => {
  it("says Clerk is loading, and after a few seconds what usually stops it", () => {
    fakeTimers();
    renderApp();
    expect(screen.getByRole("status").textContent).toContain("Loading Clerk…");
    expect(screen.queryByText(/ad blocker/)).toBeNull();
    act(() => vi.advanceTimersByTime(SLOW_AFTER_MS));
    expect(screen.getByText(/ad blocker/).textContent).toContain("clever-fox-12.clerk.accounts.dev");
  });

  it("shows what to check, naming the Frontend API host, when Clerk reports it failed to load", async () => {
    clerk.status = "error";
    renderApp();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Clerk could not load");
    expect(alert.textContent).toContain("clever-fox-12.clerk.accounts.dev");
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();
  });
});

describe("signed out", () => {
  it("explains the starter and offers a sign-in button", () => {
    clerk.status = "ready";
    renderApp();
    expect(screen.getByRole("heading", { name: "Clerk sign-in, synced to Convex" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
  });
});

describe("signed in to Clerk", () => {
  beforeEach(() => {
    clerk.status = "ready";
    clerk.signedIn = true;
    convex.mutations.set("users:ensureFromToken", () => "k17a2b3c4d5e6f7g8h9j0k1m2n3p4q5r");
  });

  it("says it is signing in to Convex while Convex checks the token, then what to check if it never answers", async () => {
    fakeTimers();
    convex.auth = { isLoading: true, isAuthenticated: false };
    renderApp();
    await settle();
    expect(screen.getByRole("status").textContent).toContain("Signing you in to Convex…");
    act(() => vi.advanceTimersByTime(SLOW_AFTER_MS));
    expect(screen.getByText(/has not answered yet/).textContent).toContain(
      "https://happy-otter-123.convex.cloud",
    );
  });

  it("shows the auth problem at once when Convex rejects the token, and never mentions the webhook", async () => {
    convex.auth = { isLoading: true, isAuthenticated: false };
    renderApp();
    await settle();
    act(() => push(() => (convex.auth = { isLoading: false, isAuthenticated: false })));

    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Convex did not accept your sign-in");
    expect(
      screen.getByText(
        "pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://clever-fox-12.clerk.accounts.dev",
      ),
    ).toBeTruthy();
    expect(alert.textContent?.toLowerCase()).not.toContain("webhook");
    // Nothing is created for a caller Convex does not know.
    expect(convex.calls).toEqual([]);
  });

  it("creates the row from the token and shows the user card at once", async () => {
    convex.results.set("users:current", null);
    convex.mutations.set("users:ensureFromToken", () => {
      push(() =>
        convex.results.set("users:current", sampleUser({ fromToken: true, name: "Ada From Token" })),
      );
      return "k17a2b3c4d5e6f7g8h9j0k1m2n3p4q5r";
    });
    renderApp();
    await settle();

    expect(convex.calls.map((call) => call.name)).toContain("users:ensureFromToken");
    expect(screen.getByRole("heading", { level: 1, name: "Ada From Token" })).toBeTruthy();
    expect(screen.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeTruthy();
  });

  it("replaces the token's version with the webhook's live, and the webhook note never shows", async () => {
    fakeTimers();
    convex.results.set("users:current", sampleUser({ fromToken: true, name: "Ada From Token" }));
    renderApp();
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Ada From Token" })).toBeTruthy();

    // The webhook landed: Convex pushes the new query result, nothing reloads.
    act(() => push(() => convex.results.set("users:current", sampleUser({ name: "Ada Lovelace" }))));
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
    expect(screen.getByText(/^Clerk, last changed/)).toBeTruthy();
    act(() => vi.advanceTimersByTime(WEBHOOK_NOTE_AFTER_MS));
    expect(screen.queryByText("Clerk's webhook has not reached this deployment yet")).toBeNull();
  });

  it("adds the quiet webhook note when no webhook has confirmed the user after a while", async () => {
    fakeTimers();
    convex.results.set("users:current", sampleUser({ fromToken: true }));
    convex.results.set("setup:status", {
      webhookSecretConfigured: false,
      issuerDomainConfigured: true,
      webhookApplied: false,
    });
    renderApp();
    await settle();

    act(() => vi.advanceTimersByTime(WEBHOOK_NOTE_AFTER_MS - 1));
    expect(screen.queryByText("Clerk's webhook has not reached this deployment yet")).toBeNull();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.getByText("Clerk's webhook has not reached this deployment yet")).toBeTruthy();
    expect(screen.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeTruthy();
    expect(screen.getByText("pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…")).toBeTruthy();
    // The app stays usable underneath.
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
  });

  it("says so, with a way out, instead of spinning when the user was deleted in Clerk", async () => {
    convex.results.set("users:current", null);
    convex.mutations.set("users:ensureFromToken", () => null);
    renderApp();
    await settle();
    expect(screen.getByRole("alert").textContent).toContain("This account was deleted in Clerk");
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });

  it("says what to check when users.current does not answer for a while", async () => {
    fakeTimers();
    renderApp();
    await settle();
    expect(screen.getByRole("status").textContent).toContain("Loading your profile…");
    act(() => vi.advanceTimersByTime(SLOW_AFTER_MS));
    expect(screen.getByText(/has not answered yet/)).toBeTruthy();
  });

  it("after sign-out, signs in as someone else without a reload", async () => {
    convex.results.set("users:current", sampleUser({ name: "Ada Lovelace" }));
    const { rerender } = renderApp();
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();

    clerk.signedIn = false;
    convex.results.delete("users:current");
    rerender();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();

    clerk.signedIn = true;
    clerk.userId = "user_2bGraceFakeHopper";
    convex.results.set("users:current", null);
    convex.mutations.set("users:ensureFromToken", () => {
      push(() =>
        convex.results.set(
          "users:current",
          sampleUser({ clerkId: "user_2bGraceFakeHopper", name: "Grace Hopper" }),
        ),
      );
      return "k27grace";
    });
    rerender();
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeTruthy();
    expect(screen.queryByText("Ada Lovelace")).toBeNull();
  });
});

describe("a pending session (Clerk's 'membership required')", () => {
  beforeEach(() => {
    clerk.status = "ready";
    clerk.signedIn = true;
    convex.results.set("users:current", sampleUser());
  });

  it("shows Clerk's choose-organization task, not the sign-in page or the auth problem, and calls no Convex function", async () => {
    clerk.pendingTask = "choose-organization";
    renderApp();
    await settle();
    expect(screen.getByTestId("clerk-task-choose-organization")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(convex.calls).toEqual([]);
  });

  it("shows the task Clerk names, e.g. setting up MFA", async () => {
    clerk.pendingTask = "setup-mfa";
    renderApp();
    await settle();
    expect(screen.getByTestId("clerk-task-setup-mfa")).toBeTruthy();
  });

  it("goes on to the signed-in app once the task is done", async () => {
    clerk.pendingTask = "choose-organization";
    clerk.organizations = ["org_2aVxQmFakeAcme"];
    const { rerender } = renderApp();
    await settle();
    clerk.pendingTask = null;
    clerk.orgId = "org_2aVxQmFakeAcme";
    convex.results.set("orgs:current", {
      clerkOrgId: "org_2aVxQmFakeAcme",
      name: "Acme Inc",
      slug: "acme-inc",
      role: "org:member",
    });
    rerender();
    await settle();
    expect(screen.queryByTestId("clerk-task-choose-organization")).toBeNull();
    expect(screen.getByTestId("clerk-organization-switcher")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
  });
});
