import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CopyableCommand } from "./copyable-command.tsx";

describe("CopyableCommand", () => {
  it("copies the exact text to the clipboard and says so", async () => {
    const user = userEvent.setup();
    render(<CopyableCommand text="pnpm setup:convex" />);

    await user.click(screen.getByRole("button", { name: "Copy pnpm setup:convex" }));

    expect(await navigator.clipboard.readText()).toBe("pnpm setup:convex");
    expect(screen.getByRole("button").textContent).toBe("Copied");
  });

  it("asks to select and copy by hand when the browser refuses clipboard access", async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValueOnce(
      new DOMException("denied", "NotAllowedError"),
    );
    render(<CopyableCommand text="pnpm dev" />);

    await user.click(screen.getByRole("button", { name: "Copy pnpm dev" }));

    expect(screen.getByRole("button").textContent).toBe("Select and copy");
  });
});
