import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SetupGuide } from "./setup-guide.tsx";

function sectionFor(variable: string) {
  const heading = screen.getByRole("heading", { level: 2, name: new RegExp(variable) });
  const section = heading.closest("section");
  if (section === null) throw new Error(`no section for ${variable}`);
  return within(section);
}

describe("SetupGuide", () => {
  it("names each missing variable with its fix and a copyable command", () => {
    render(<SetupGuide raw={{}} />);

    const convex = sectionFor("VITE_CONVEX_URL");
    expect(convex.getByText("missing")).toBeTruthy();
    expect(convex.getByRole("button", { name: "Copy pnpm setup:convex" })).toBeTruthy();

    const clerk = sectionFor("VITE_CLERK_PUBLISHABLE_KEY");
    expect(clerk.getByText("missing")).toBeTruthy();
    expect(clerk.getByRole("link", { name: /Configure → API keys/ })).toBeTruthy();
    // The key is only in the dashboard: no copy box that would copy a placeholder.
    expect(clerk.queryByRole("button", { name: /^Copy/ })).toBeNull();
  });

  it("does not repeat a missing variable's heading in a sentence below it", () => {
    render(<SetupGuide raw={{}} />);
    expect(screen.queryByText(/is not set/)).toBeNull();
  });

  it("for a .convex.site URL, copies the line its fix names", () => {
    render(<SetupGuide raw={{ VITE_CONVEX_URL: "https://happy-otter-123.convex.site" }} />);
    const convex = sectionFor("VITE_CONVEX_URL");
    expect(convex.getByText(/Put this line in/)).toBeTruthy();
    expect(
      convex.getByRole("button", { name: "Copy VITE_CONVEX_URL=https://happy-otter-123.convex.cloud" }),
    ).toBeTruthy();
    expect(convex.queryByRole("button", { name: "Copy pnpm setup:convex" })).toBeNull();
  });

  // Vite 8 restarts the dev server itself when an .env file changes: telling people to restart is noise.
  it("says where the file lives and that saving it is enough for the dev server", () => {
    render(<SetupGuide raw={{}} />);
    expect(screen.getAllByText("apps/web/.env.local").length).toBeGreaterThan(0);
    const then = sectionFor("Then save the file");
    expect(then.getByText(/restarts by itself/).textContent).toContain("pnpm build");
    expect(screen.queryByText(/Ctrl\+C/)).toBeNull();
  });

  it("shows only the malformed variable, with what is wrong about it", () => {
    render(
      <SetupGuide
        raw={{
          VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud",
          VITE_CLERK_PUBLISHABLE_KEY: "sk_test_abc123",
        }}
      />,
    );
    expect(screen.queryByRole("heading", { name: /VITE_CONVEX_URL/ })).toBeNull();
    const clerk = sectionFor("VITE_CLERK_PUBLISHABLE_KEY");
    expect(clerk.getByText("malformed")).toBeTruthy();
    expect(clerk.getByText(/must never reach a browser/)).toBeTruthy();
  });
});
