/** The signed-in header: a link per page, Clerk's organization switcher and user menu. */
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { pages } from "./routes.tsx";
import { clerk, resetClerk } from "./testing/fake-clerk.tsx";
import { convex, resetConvex } from "./testing/fake-convex.tsx";
import { renderApp, settle } from "./testing/render-app.tsx";
import { sampleUser } from "./testing/sample-data.ts";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));
vi.mock("convex/react-clerk", () => import("./testing/fake-convex.tsx"));

const ACME = "org_2aVxQmFakeAcme";
const switcher = () => screen.queryByTestId("clerk-organization-switcher");

beforeEach(() => {
  resetClerk();
  resetConvex();
  clerk.status = "ready";
  clerk.signedIn = true;
  convex.results.set("users:current", sampleUser());
});

describe("the signed-in header", () => {
  it("links every page, marks the current one, and holds Clerk's user menu", async () => {
    renderApp("/");
    await settle();
    const nav = within(screen.getByRole("navigation", { name: "Pages" }));
    for (const { path, label } of pages) {
      const link = nav.getByRole("link", { name: label });
      expect(link.getAttribute("href")).toBe(path);
      expect(link.getAttribute("aria-current")).toBe(path === "/" ? "page" : null);
    }
    expect(nav.getByTestId("clerk-user-button")).toBeTruthy();
  });

  it("has no organization switcher for a user in no organization (an instance without organizations looks as before)", async () => {
    renderApp();
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
    expect(switcher()).toBeNull();
  });

  it("shows the organization switcher for a member of an organization, above the user's card", async () => {
    clerk.organizations = [ACME];
    renderApp();
    await settle();
    const bar = switcher();
    const card = screen.getByRole("heading", { level: 1, name: "Ada Lovelace" });
    expect(bar).toBeTruthy();
    expect(bar?.compareDocumentPosition(card)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
  });
});
