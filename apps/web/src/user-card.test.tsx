import { fakeClerkId } from "@repo/shared/clerk-fixtures";
import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { syncedUser } from "./testing/synced-user.ts";
import { UserCard } from "./user-card.tsx";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));

describe("UserCard", () => {
  it("shows the name, email, picture and Clerk id stored in Convex", () => {
    const user = syncedUser({
      id: fakeClerkId("user", "grace"),
      firstName: "Grace",
      lastName: "Hopper",
      emails: ["grace@example.com"],
    });
    const { container } = render(<UserCard user={user} />);

    expect(screen.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeTruthy();
    expect(screen.getByText("grace@example.com")).toBeTruthy();
    expect(screen.getByText(user.clerkId)).toBeTruthy();
    expect(user.clerkId).toMatch(/^user_/);
    // The picture is decorative (alt=""), so it is found by element rather than by role.
    expect(container.querySelector("img")?.getAttribute("src")).toBe(user.imageUrl);
  });

  it("offers Clerk's user menu and a sign-out button", () => {
    render(<UserCard user={syncedUser()} />);
    expect(screen.getByTestId("clerk-user-button")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });

  it("says there is no email and draws no picture for a user that has neither", () => {
    const user = syncedUser({ emails: [], imageUrl: null, username: "phone_only" });
    const { container } = render(<UserCard user={user} />);
    expect(screen.getByText("No email address")).toBeTruthy();
    expect(container.querySelector("img")).toBeNull();
  });
});
