import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clerk, resetClerk } from "../testing/fake-clerk.tsx";
import { renderWithEnv } from "../testing/render-app.tsx";
import { AuthProblem } from "./auth-problem.tsx";

vi.mock("@clerk/react", () => import("../testing/fake-clerk.tsx"));

const SET_ISSUER = "pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://clever-fox-12.clerk.accounts.dev";
const causes = () =>
  within(screen.getByRole("list"))
    .getAllByRole("listitem")
    .map((item) => item.textContent);

beforeEach(() => {
  resetClerk();
  clerk.status = "ready";
  clerk.signedIn = true;
});

describe("AuthProblem", () => {
  it("names the Convex integration first when the session token has no aud: convex", () => {
    clerk.sessionClaims = {};
    renderWithEnv(<AuthProblem />);
    expect(causes()[0]).toContain("Clerk's Convex integration is off");
    expect(
      screen.getByRole("link", { name: "Clerk dashboard → Convex integration" }).getAttribute("href"),
    ).toBe("https://dashboard.clerk.com/apps/setup/convex");
  });

  it("names the issuer first when the token is meant for Convex, with the command for this app's instance", () => {
    renderWithEnv(<AuthProblem />);
    expect(causes()[0]).toContain("The deployment trusts another Clerk instance");
    expect(screen.getByText(SET_ISSUER)).toBeTruthy();
  });

  it("always offers sign-out, and never blames the webhook", () => {
    renderWithEnv(<AuthProblem />);
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent?.toLowerCase()).not.toContain("webhook");
  });
});
