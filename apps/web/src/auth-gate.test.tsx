import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthGate } from "./auth-gate.tsx";
import { CLERK_LOAD_TIMEOUT_MS } from "./clerk-loading-state.tsx";
import { TROUBLESHOOT_AFTER_MS } from "./finishing-sign-up.tsx";
import { clerk, resetClerk } from "./testing/fake-clerk.tsx";
import { convex, pushQueryResult, resetConvex } from "./testing/fake-convex.tsx";
import { syncedUser } from "./testing/synced-user.ts";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));
vi.mock("convex/react-clerk", () => import("./testing/fake-convex.tsx"));

const HOST = "clever-fox-12.clerk.accounts.dev";
const gate = <AuthGate convexUrl="https://happy-otter-123.convex.cloud" frontendApiHost={HOST} />;

beforeEach(() => {
  resetClerk();
  resetConvex();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("AuthGate: Clerk's load state", () => {
  it("says Clerk is loading, then explains the failure after the timeout instead of spinning on", () => {
    // Only timeouts are faked: Testing Library's own polling keeps working.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    render(gate);
    expect(screen.getByRole("status").textContent).toContain("Loading Clerk…");

    act(() => vi.advanceTimersByTime(CLERK_LOAD_TIMEOUT_MS - 1));
    expect(screen.queryByRole("alert")).toBeNull();

    act(() => vi.advanceTimersByTime(1));
    expect(screen.getByRole("heading", { name: "Clerk could not load" })).toBeTruthy();
    expect(screen.getByText(/after 10 seconds/)).toBeTruthy();
  });

  it("shows the load error at once when Clerk gives up on its script, before the timeout", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(gate);
    expect(screen.queryByRole("alert")).toBeNull();

    const failure = Object.assign(new Event("unhandledrejection", { cancelable: true }), {
      reason: { code: "failed_to_load_clerk_js" },
    });
    act(() => {
      window.dispatchEvent(failure);
    });

    expect(screen.getByRole("alert").textContent).toContain("The browser could not load Clerk");
  });

  it("shows what to check, naming the Frontend API host, when Clerk fails to load", () => {
    clerk.status = "error";
    render(gate);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Clerk could not load");
    expect(alert.textContent).toContain(HOST);
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();
  });
});

describe("AuthGate: signed out", () => {
  it("explains the starter and offers a sign-in button", () => {
    clerk.status = "ready";
    render(gate);
    expect(screen.getByRole("heading", { name: "Clerk sign-in, synced to Convex" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
  });
});

describe("AuthGate: signed in", () => {
  beforeEach(() => {
    clerk.status = "ready";
    clerk.signedIn = true;
  });

  it("says it is loading the profile while users.current has not answered", async () => {
    render(gate);
    expect(await screen.findByRole("heading", { name: "Loading your profile…" })).toBeTruthy();
  });

  it("shows Finishing sign-up… while users.current is null", async () => {
    convex.results.set("users:current", null);
    render(gate);
    expect(await screen.findByRole("heading", { name: "Finishing sign-up…" })).toBeTruthy();
  });

  it("replaces Finishing sign-up… with the profile as soon as users.current returns the user", async () => {
    convex.results.set("users:current", null);
    render(gate);
    await screen.findByRole("heading", { name: "Finishing sign-up…" });

    // The webhook landed: Convex pushes the new query result, nothing reloads.
    const user = syncedUser({ firstName: "Ada", lastName: "Lovelace" });
    act(() => pushQueryResult("users:current", user));

    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
    expect(screen.getByText(user.clerkId)).toBeTruthy();
    expect(screen.queryByText("Finishing sign-up…")).toBeNull();
  });

  it("adds the troubleshooting panel once the user has been missing for the troubleshooting delay", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    convex.results.set("users:current", null);
    render(gate);
    // findBy* waits on a timeout of its own, which is faked here; settle the lazy chunks explicitly instead.
    await act(() => vi.dynamicImportSettled());
    expect(screen.getByRole("heading", { name: "Finishing sign-up…" })).toBeTruthy();

    act(() => vi.advanceTimersByTime(TROUBLESHOOT_AFTER_MS - 1));
    expect(screen.queryByRole("heading", { name: "Still waiting for Clerk's webhook" })).toBeNull();

    act(() => vi.advanceTimersByTime(1));
    await act(() => vi.dynamicImportSettled());
    expect(screen.getByRole("heading", { name: "Still waiting for Clerk's webhook" })).toBeTruthy();
    expect(screen.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeTruthy();
    expect(screen.getByText("user.created")).toBeTruthy();
  });
});
