import { act, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { convex, resetConvex } from "../testing/fake-convex.tsx";
import { renderWithEnv } from "../testing/render-app.tsx";
import { sampleEnv } from "../testing/sample-data.ts";
import { WEBHOOK_NOTE_AFTER_MS, WebhookNote } from "./webhook-note.tsx";

vi.mock("convex/react", () => import("../testing/fake-convex.tsx"));

const SUMMARY = "Clerk's webhook has not reached this deployment yet";

beforeEach(() => {
  resetConvex();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** What api.setup.status answers: a deployment set up but for what the test says, no webhook applied yet. */
function reportStatus({ webhookSecretConfigured }: { webhookSecretConfigured: boolean }) {
  convex.results.set("setup:status", {
    webhookSecretConfigured,
    issuerDomainConfigured: true,
    webhookApplied: false,
  });
}

function renderDue(env = sampleEnv) {
  renderWithEnv(<WebhookNote />, { env });
  act(() => vi.advanceTimersByTime(WEBHOOK_NOTE_AFTER_MS));
}

describe("WebhookNote", () => {
  it("stays hidden for the first seconds, while a webhook would normally land", () => {
    renderWithEnv(<WebhookNote />);
    act(() => vi.advanceTimersByTime(WEBHOOK_NOTE_AFTER_MS - 1));
    expect(screen.queryByText(SUMMARY)).toBeNull();
  });

  it("gives the exact endpoint URL and the events to subscribe to", () => {
    reportStatus({ webhookSecretConfigured: true });
    renderDue();
    expect(screen.getByText(SUMMARY)).toBeTruthy();
    expect(screen.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeTruthy();
    for (const type of ["user.created", "user.updated", "user.deleted"])
      expect(screen.getByText(type)).toBeTruthy();
    // The organization events are named as the optional extra they are.
    expect(screen.getByText(/with Clerk Organizations, also/)).toBeTruthy();
    expect(screen.getByText("organizationMembership.deleted")).toBeTruthy();
    expect(screen.queryByText(/CLERK_WEBHOOK_SECRET/)).toBeNull();
  });

  it("says whether any webhook has reached the deployment, to tell a dead endpoint from a lost delivery", () => {
    reportStatus({ webhookSecretConfigured: true });
    renderDue();
    expect(screen.getByText(/No webhook has been applied on this deployment yet/)).toBeTruthy();
  });

  it("says the signing secret is missing when the deployment reports it", () => {
    reportStatus({ webhookSecretConfigured: false });
    renderDue();
    expect(screen.getByText("pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…")).toBeTruthy();
  });

  it("explains that Clerk cannot reach a local deployment and offers pnpm sync:clerk", () => {
    renderDue({ ...sampleEnv, convexUrl: "http://127.0.0.1:3210" });
    expect(screen.getByText(/This is a local deployment/).textContent).toContain("pnpm sync:clerk");
    expect(screen.getByText("http://127.0.0.1:3211/clerk-users-webhook")).toBeTruthy();
  });
});
