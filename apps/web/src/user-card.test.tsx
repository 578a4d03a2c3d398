import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderWithEnv } from "./testing/render-app.tsx";
import { sampleUser } from "./testing/sample-data.ts";
import { UserCard } from "./user-card.tsx";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));

describe("UserCard", () => {
  it("shows the name, email, picture and Clerk id stored in Convex", () => {
    const user = sampleUser({ name: "Grace Hopper", email: "grace@example.com" });
    const { container } = renderWithEnv(<UserCard user={user} />);
    expect(screen.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeTruthy();
    expect(screen.getByText("grace@example.com")).toBeTruthy();
    expect(screen.getByText(user.clerkId)).toBeTruthy();
    // The picture is decorative (alt=""), so it is found by element rather than by role.
    expect(container.querySelector("img")?.getAttribute("src")).toBe(user.imageUrl);
  });

  it("says whether the row comes from the sign-in token or from Clerk", () => {
    const { rerender } = renderWithEnv(<UserCard user={sampleUser({ fromToken: true })} />);
    expect(screen.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeTruthy();
    rerender(<UserCard user={sampleUser()} />);
    expect(screen.getByText(/^Clerk, last changed/)).toBeTruthy();
  });

  it("reads where the row came from in `source`, not from clerkUpdatedAt", () => {
    renderWithEnv(<UserCard user={sampleUser({ source: "token", clerkUpdatedAt: 1_764_000_000_000 })} />);
    expect(screen.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeTruthy();
  });

  it("tells a token row named 'Unnamed user' how to get a name at first sign-in", () => {
    renderWithEnv(
      <UserCard user={sampleUser({ fromToken: true, name: "Unnamed user", email: undefined })} />,
    );
    const hint = screen.getByTestId("name-hint");
    expect(hint.textContent).toContain("Sessions → Customize session token");
    expect(hint.textContent).toContain("README.md#one-time-setup");
    // The claims as a JSON block to paste, one per line, not run into the sentence.
    const claims = JSON.parse(hint.querySelector("pre")?.textContent ?? "null");
    expect(claims).toEqual({
      aud: "convex",
      name: "{{user.full_name}}",
      email: "{{user.primary_email_address}}",
      email_verified: "{{user.email_verified}}",
      picture: "{{user.image_url}}",
    });
    expect(hint.querySelector("p")?.textContent).not.toContain("{{");
  });

  it("gives no name hint once the webhook's version is there, or when the token had a name", () => {
    const { rerender } = renderWithEnv(<UserCard user={sampleUser({ name: "Unnamed user" })} />);
    expect(screen.queryByTestId("name-hint")).toBeNull();
    rerender(<UserCard user={sampleUser({ fromToken: true })} />);
    expect(screen.queryByTestId("name-hint")).toBeNull();
  });

  // Clerk's user menu is in the header (nav-bar.test.tsx).
  it("offers a sign-out button", () => {
    renderWithEnv(<UserCard user={sampleUser()} />);
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });

  it("says there is no verified email and draws no picture for a user that has neither", () => {
    const { container } = renderWithEnv(
      <UserCard user={sampleUser({ email: undefined, imageUrl: undefined })} />,
    );
    expect(screen.getByText("No verified email address")).toBeTruthy();
    expect(container.querySelector("img")).toBeNull();
  });
});
