import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clerk, resetClerk } from "../testing/fake-clerk.tsx";
import { convex, resetConvex } from "../testing/fake-convex.tsx";
import { renderWithEnv } from "../testing/render-app.tsx";
import { AuthProblem } from "./auth-problem.tsx";

vi.mock("@clerk/react", () => import("../testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("../testing/fake-convex.tsx"));

const FIX = "pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://clever-fox-12.clerk.accounts.dev";
const status = (issuerDomainConfigured: boolean) => ({
  webhookSecretConfigured: true,
  issuerDomainConfigured,
  webhookApplied: true,
});

beforeEach(() => {
  resetClerk();
  resetConvex();
  clerk.status = "ready";
  clerk.signedIn = true;
});

describe("AuthProblem", () => {
  it("names an unset CLERK_JWT_ISSUER_DOMAIN first, with the command for this app's Clerk instance", () => {
    convex.results.set("setup:status", status(false));
    renderWithEnv(<AuthProblem />);
    expect(
      screen.getByRole("heading", { name: "The deployment does not know your Clerk instance" }),
    ).toBeTruthy();
    expect(screen.getByText(FIX)).toBeTruthy();
  });

  it("points at Clerk's Convex integration when the session token has no aud: convex", () => {
    convex.results.set("setup:status", status(true));
    clerk.sessionClaims = {};
    renderWithEnv(<AuthProblem />);
    expect(screen.getByRole("heading", { name: "Clerk's Convex integration is not active" })).toBeTruthy();
    expect(
      screen.getByRole("link", { name: "Clerk dashboard → Integrations → Convex" }).getAttribute("href"),
    ).toBe("https://dashboard.clerk.com/apps/setup/convex");
  });

  it("suspects an issuer from another Clerk instance when both are set", () => {
    convex.results.set("setup:status", status(true));
    renderWithEnv(<AuthProblem />);
    expect(
      screen.getByRole("heading", { name: "The deployment trusts another Clerk instance" }),
    ).toBeTruthy();
    expect(screen.getByText(FIX)).toBeTruthy();
  });

  it("says it is asking the deployment until setup.status answers, and always offers sign-out", () => {
    renderWithEnv(<AuthProblem />);
    expect(screen.getByRole("status").textContent).toContain("Asking the deployment");
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });
});
