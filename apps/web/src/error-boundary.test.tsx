import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { PageShell } from "./page-shell.tsx";

function Broken(): never {
  throw new Error('Could not find public function for "messages:list"');
}

describe("ErrorBoundary (in PageShell)", () => {
  it("shows the error and a way forward instead of a blank page", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <PageShell>
        <Broken />
      </PageShell>,
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain('Could not find public function for "messages:list"');
    expect(alert.textContent).toContain("pnpm setup:check");
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();
    // The frame stays, so the page is never blank.
    expect(screen.getByText("Clerk + Convex starter")).toBeTruthy();
  });
});
