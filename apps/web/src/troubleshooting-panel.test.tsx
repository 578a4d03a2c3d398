import { handledEventTypes } from "@repo/shared/config";
import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { convex, resetConvex } from "./testing/fake-convex.tsx";
import { TroubleshootingPanel } from "./troubleshooting-panel.tsx";

vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));

const HOST = "clever-fox-12.clerk.accounts.dev";

function renderPanel(convexUrl = "https://happy-otter-123.convex.cloud", convexAnswered = true) {
  return render(
    <TroubleshootingPanel convexUrl={convexUrl} frontendApiHost={HOST} convexAnswered={convexAnswered} />,
  );
}

beforeEach(resetConvex);

describe("TroubleshootingPanel", () => {
  it("gives the exact webhook URL on the deployment's .convex.site host", () => {
    renderPanel();
    expect(screen.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeTruthy();
  });

  it("puts the unreachable deployment first when users.current never answered", () => {
    renderPanel("https://happy-otter-123.convex.cloud", false);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Convex has not answered");
    expect(screen.getByText("https://happy-otter-123.convex.cloud")).toBeTruthy();
  });

  it("gives a local backend's webhook URL on the HTTP actions port", () => {
    renderPanel("http://127.0.0.1:3210");
    expect(screen.getByText("http://127.0.0.1:3211/clerk-users-webhook")).toBeTruthy();
  });

  it("lists every event type the backend handles", () => {
    renderPanel();
    const listed = screen.getAllByRole("listitem").map((item) => item.textContent);
    for (const type of handledEventTypes) expect(listed).toContain(type);
  });

  it("says it is asking the deployment while setup.status has not answered", () => {
    renderPanel();
    expect(screen.getByRole("status").textContent).toBe("Asking the Convex deployment…");
  });

  it("gives the command for each variable the deployment reports missing", () => {
    convex.results.set("setup:status", {
      webhookSecretConfigured: false,
      issuerDomainConfigured: false,
      lastVerifiedWebhookAt: null,
    });
    renderPanel();
    expect(screen.getByText("pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…")).toBeTruthy();
    expect(screen.getByText(`pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://${HOST}`)).toBeTruthy();
    expect(screen.getByText(/None yet/)).toBeTruthy();
  });

  it("marks a fully configured deployment OK and shows when the last webhook arrived", () => {
    const lastWebhookAt = Date.UTC(2026, 10, 27, 4, 0, 0);
    convex.results.set("setup:status", {
      webhookSecretConfigured: true,
      issuerDomainConfigured: true,
      lastVerifiedWebhookAt: lastWebhookAt,
    });
    renderPanel();
    expect(screen.getAllByText("OK")).toHaveLength(4);
    expect(screen.queryByText(/pnpm convex env set/)).toBeNull();
    expect(screen.getByText(`Last one: ${new Date(lastWebhookAt).toLocaleString()}`)).toBeTruthy();
  });

  it("points at the issuer domain when Convex rejects the Clerk token", () => {
    convex.results.set("setup:status", {
      webhookSecretConfigured: true,
      issuerDomainConfigured: true,
      lastVerifiedWebhookAt: null,
    });
    convex.auth = { isLoading: false, isAuthenticated: false };
    renderPanel();
    expect(screen.getByText(/Convex rejected the Clerk token/)).toBeTruthy();
  });
});
