/** Every page, rendered through the harness at its own URL the way a visitor reaches it. */
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { pages } from "./routes.tsx";
import { clerk, resetClerk } from "./testing/fake-clerk.tsx";
import { convex, resetConvex } from "./testing/fake-convex.tsx";
import { renderApp, settle } from "./testing/render-app.tsx";
import { sampleUser } from "./testing/sample-data.ts";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));
vi.mock("convex/react-clerk", () => import("./testing/fake-convex.tsx"));

beforeEach(() => {
  resetClerk();
  resetConvex();
  clerk.status = "ready";
  clerk.signedIn = true;
  convex.results.set("users:current", sampleUser());
  convex.results.set("orgs:current", null);
  convex.pages.set("messages:list", { results: [], status: "Exhausted" });
});

describe("the pages", () => {
  it.each(pages.map(({ path, label }) => [path, label]))(
    "%s renders its page (%s) under the header, with one level-1 heading and its link marked current",
    async (path, label) => {
      renderApp(path);
      await settle();
      expect(screen.getByRole("link", { name: label }).getAttribute("aria-current")).toBe("page");
      expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
      expect(screen.queryByRole("heading", { name: "Page not found" })).toBeNull();
    },
  );

  it("shows the user's card at /", async () => {
    renderApp("/");
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
  });

  it("answers a path no page has with a not-found page that links home", async () => {
    renderApp("/no-such-page");
    await settle();
    expect(screen.getByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
    expect(screen.getByText("/no-such-page")).toBeTruthy();
    await userEvent.click(screen.getByRole("link", { name: "Go to the home page" }));
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
  });

  it("goes from page to page through the header's links without a reload", async () => {
    renderApp("/no-such-page");
    await settle();
    for (const { label } of [...pages].reverse()) {
      await userEvent.click(screen.getByRole("link", { name: label }));
      expect(screen.getByRole("link", { name: label }).getAttribute("aria-current")).toBe("page");
      expect(screen.queryByRole("heading", { name: "Page not found" })).toBeNull();
    }
  });
});
