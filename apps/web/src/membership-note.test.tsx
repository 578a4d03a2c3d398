/** The note under the header while Convex does not count the caller in Clerk's active organization. */
import { act, screen } from "@testing-library/react";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { MembershipNote } from "./membership-note.tsx";
import { clerk, resetClerk } from "./testing/fake-clerk.tsx";
import { convex, push, resetConvex } from "./testing/fake-convex.tsx";
import { renderApp, renderWithEnv, settle } from "./testing/render-app.tsx";
import { sampleUser } from "./testing/sample-data.ts";

vi.mock("@clerk/react", () => import("./testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("./testing/fake-convex.tsx"));
vi.mock("convex/react-clerk", () => import("./testing/fake-convex.tsx"));

const ACME = "org_2aVxQmFakeAcme";
const acme = { clerkOrgId: ACME, name: "Acme Inc", slug: "acme-inc", role: "org:member" };
const notAMember = () => screen.queryByText(/does not count you as a member/);
/** What every orgQuery throws for a token naming an organization the caller is not a live member of. */
const refusal = () =>
  new ConvexError({ code: "NOT_A_MEMBER", message: "Not a member of this organization." });

beforeEach(() => {
  resetClerk();
  resetConvex();
  clerk.status = "ready";
  clerk.signedIn = true;
  clerk.organizations = [ACME];
  clerk.orgId = ACME;
  convex.results.set("users:current", sampleUser());
});

describe("MembershipNote", () => {
  it("says nothing while the active organization is one Convex counts", () => {
    convex.results.set("orgs:current", acme);
    renderWithEnv(<MembershipNote />);
    expect(notAMember()).toBeNull();
  });

  it("waits for Convex's answer before saying anything about membership", () => {
    renderWithEnv(<MembershipNote />);
    expect(notAMember()).toBeNull();
  });

  it("says Convex does not count the user when orgs.current answers NOT_A_MEMBER, and goes when the membership lands", () => {
    convex.results.set("orgs:current", refusal());
    renderWithEnv(<MembershipNote />);
    expect(notAMember()?.textContent).toContain("organizationMembership");
    expect(notAMember()?.textContent).toContain("Switch to an organization you belong to");
    // The webhook landed: Convex re-runs the query that threw and pushes its new answer.
    act(() => push(() => convex.results.set("orgs:current", acme)));
    expect(notAMember()).toBeNull();
  });

  it("says the same when orgs.current is null for the active organization (a removal seen before the token changed)", () => {
    convex.results.set("orgs:current", acme);
    renderWithEnv(<MembershipNote />);
    act(() => push(() => convex.results.set("orgs:current", null)));
    expect(notAMember()).toBeTruthy();
  });

  it("does not blame the membership before the user's row exists", () => {
    convex.results.set("users:current", null);
    convex.results.set("orgs:current", refusal());
    renderWithEnv(<MembershipNote />);
    expect(notAMember()).toBeNull();
  });

  it("keeps the app up, never the error screen, while every org query answers NOT_A_MEMBER", async () => {
    convex.results.set("orgs:current", refusal());
    renderApp("/");
    await settle();
    expect(notAMember()).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeTruthy();
  });
});
