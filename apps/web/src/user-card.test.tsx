import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { sampleUser } from "./testing/sample-data.ts";
import { UserCard } from "./user-card.tsx";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));

describe("UserCard", () => {
  it("shows the name, email, picture and Clerk id stored in Convex", () => {
    const user = sampleUser({ name: "Grace Hopper", email: "grace@example.com" });
    const { container } = render(<UserCard user={user} />);
    expect(screen.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeTruthy();
    expect(screen.getByText("grace@example.com")).toBeTruthy();
    expect(screen.getByText(user.clerkId)).toBeTruthy();
    // The picture is decorative (alt=""), so it is found by element rather than by role.
    expect(container.querySelector("img")?.getAttribute("src")).toBe(user.imageUrl);
  });

  it("says whether the row comes from the sign-in token or from Clerk", () => {
    const { rerender } = render(<UserCard user={sampleUser({ fromToken: true })} />);
    expect(screen.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeTruthy();
    rerender(<UserCard user={sampleUser()} />);
    expect(screen.getByText(/^Clerk, last changed/)).toBeTruthy();
  });

  it("offers Clerk's user menu and a sign-out button", () => {
    render(<UserCard user={sampleUser()} />);
    expect(screen.getByTestId("clerk-user-button")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });

  it("says there is no verified email and draws no picture for a user that has neither", () => {
    const { container } = render(<UserCard user={sampleUser({ email: undefined, imageUrl: undefined })} />);
    expect(screen.getByText("No verified email address")).toBeTruthy();
    expect(container.querySelector("img")).toBeNull();
  });
});
