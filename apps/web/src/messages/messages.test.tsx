import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clerk, resetClerk } from "../testing/fake-clerk.tsx";
import { convex, push, resetConvex } from "../testing/fake-convex.tsx";
import { renderWithEnv } from "../testing/render-app.tsx";
import { Messages, PAGE_SIZE } from "./messages.tsx";

vi.mock("@clerk/react", () => import("../testing/fake-clerk.tsx"));
vi.mock("convex/react", () => import("../testing/fake-convex.tsx"));

const ada = { name: "Ada Lovelace", imageUrl: "https://img.clerk.com/sample-ada" };

/** A page entry as api.messages.list returns it. */
function sampleMessage(n: number, author: { name: string; imageUrl?: string }, canRemove = false) {
  return {
    _id: `m${n}`,
    _creationTime: 1_764_000_000_000 + n * 60_000,
    body: `Message number ${n}`,
    author,
    canRemove,
  };
}
const grace = { name: "Grace Hopper" };

beforeEach(() => {
  resetConvex();
  resetClerk();
  clerk.status = "ready";
  clerk.signedIn = true;
  // No active organization: the shared room. Messages asks for the list only once orgs.current answers.
  convex.results.set("orgs:current", null);
});

const ACME = "org_2aVxQmFakeAcme";
const title = () => screen.getByRole("heading", { level: 1 }).textContent;

describe("the room", () => {
  it("is titled Everyone without an active organization, and with the organization's name in one", () => {
    convex.pages.set("messages:list", { results: [], status: "Exhausted" });
    convex.results.set("orgs:current", null);
    const { unmount } = renderWithEnv(<Messages />);
    expect(title()).toBe("Messages · Everyone");
    unmount();
    clerk.orgId = ACME;
    convex.results.set("orgs:current", {
      clerkOrgId: ACME,
      name: "Acme Inc",
      slug: "acme",
      role: "org:member",
    });
    renderWithEnv(<Messages />);
    expect(title()).toBe("Messages · Acme Inc");
    expect(screen.getByLabelText("New message")).toBeTruthy();
  });

  it("is shut (the header's note says why: org-bar.test.tsx) when Convex does not count the caller in Clerk's active organization", () => {
    clerk.orgId = ACME;
    convex.results.set("orgs:current", null);
    convex.pages.set("messages:list", { results: [], status: "Exhausted" });
    renderWithEnv(<Messages />);
    expect(title()).toBe("Messages");
    expect(screen.queryByLabelText("New message")).toBeNull();
    expect(screen.queryByText(/No messages yet/)).toBeNull();
  });
});

describe("a caller Convex does not count in the active organization", () => {
  const refusal = () =>
    new ConvexError({ code: "NOT_A_MEMBER", message: "Not a member of this organization." });
  const acme = { clerkOrgId: ACME, name: "Acme Inc", slug: "acme", role: "org:member" };

  it("shuts the room when orgs.current answers NOT_A_MEMBER, and opens it live when the membership lands", () => {
    clerk.orgId = ACME;
    convex.results.set("orgs:current", refusal());
    // messages.list refuses the same caller; it must not reach the error boundary either.
    convex.pages.set("messages:list", refusal());
    renderWithEnv(<Messages />);
    expect(title()).toBe("Messages");
    expect(screen.queryByLabelText("New message")).toBeNull();

    act(() =>
      push(() => {
        convex.results.set("orgs:current", acme);
        convex.pages.set("messages:list", { results: [sampleMessage(1, ada)], status: "Exhausted" });
      }),
    );
    expect(title()).toBe("Messages · Acme Inc");
    expect(screen.getByLabelText("New message")).toBeTruthy();
    expect(screen.getByText("Message number 1")).toBeTruthy();
  });
});

describe("Messages", () => {
  it("says it is loading, then invites the first message when there is none", () => {
    renderWithEnv(<Messages />);
    expect(screen.getByRole("status").textContent).toBe("Loading messages…");
    act(() => push(() => convex.pages.set("messages:list", { results: [], status: "Exhausted" })));
    expect(screen.getByText(/No messages yet/)).toBeTruthy();
  });

  it("lists messages in the order the server gives (newest first) with each author's name", () => {
    convex.pages.set("messages:list", {
      results: [sampleMessage(2, grace), sampleMessage(1, ada)],
      status: "Exhausted",
    });
    renderWithEnv(<Messages />);
    const items = screen.getAllByRole("listitem").map((item) => item.textContent);
    expect(items[0]).toContain("Grace Hopper");
    expect(items[0]).toContain("Message number 2");
    expect(items[1]).toContain("Ada Lovelace");
    expect(screen.queryByRole("button", { name: "Show older messages" })).toBeNull();
  });

  it("loads older messages a page at a time", async () => {
    convex.pages.set("messages:list", { results: [sampleMessage(1, ada)], status: "CanLoadMore" });
    renderWithEnv(<Messages />);
    await userEvent.click(screen.getByRole("button", { name: "Show older messages" }));
    expect(convex.loadMore).toEqual([PAGE_SIZE]);
    act(() =>
      push(() =>
        convex.pages.set("messages:list", { results: [sampleMessage(1, ada)], status: "LoadingMore" }),
      ),
    );
    expect(screen.getByRole("status").textContent).toBe("Loading older messages…");
  });
});

describe("deleting a message", () => {
  it("offers Delete only on the messages the server says the caller may delete, and calls messages.remove", async () => {
    convex.mutations.set("messages:remove", () => null);
    convex.pages.set("messages:list", {
      results: [sampleMessage(2, grace), sampleMessage(1, ada, true)],
      status: "Exhausted",
    });
    renderWithEnv(<Messages />);
    const buttons = screen.getAllByRole("button", { name: "Delete this message" });
    expect(buttons).toHaveLength(1);
    const items = screen.getAllByRole("listitem");
    expect(items[1]?.contains(buttons[0] ?? null)).toBe(true);
    await userEvent.click(buttons[0] as HTMLElement);
    expect(convex.calls).toEqual([{ name: "messages:remove", args: { id: "m1" } }]);
  });

  it("says so when the deletion fails", async () => {
    convex.mutations.set("messages:remove", () => {
      throw new ConvexError({ code: "FORBIDDEN", message: "Only its author can delete this message." });
    });
    convex.pages.set("messages:list", { results: [sampleMessage(1, ada, true)], status: "Exhausted" });
    renderWithEnv(<Messages />);
    await userEvent.click(screen.getByRole("button", { name: "Delete this message" }));
    expect(screen.getByRole("alert").textContent).toContain("Could not delete the message");
  });
});

describe("MessageForm", () => {
  beforeEach(() => {
    convex.pages.set("messages:list", { results: [], status: "Exhausted" });
  });

  it("sends what was typed and clears the box", async () => {
    convex.mutations.set("messages:send", () => "m1");
    renderWithEnv(<Messages />);
    const box = screen.getByLabelText("New message");
    await userEvent.type(box, "Hello, Convex!");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(convex.calls).toEqual([{ name: "messages:send", args: { body: "Hello, Convex!" } }]);
    expect((box as HTMLTextAreaElement).value).toBe("");
  });

  it("shows the server's reason when it refuses, and keeps the text", async () => {
    convex.mutations.set("messages:send", () => {
      throw new ConvexError({
        code: "INVALID_MESSAGE",
        message: "A message has 1 to 1000 characters; this one has 1001.",
      });
    });
    renderWithEnv(<Messages />);
    const box = screen.getByLabelText("New message");
    await userEvent.type(box, "too long");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByRole("alert").textContent).toBe(
      "A message has 1 to 1000 characters; this one has 1001.",
    );
    expect((box as HTMLTextAreaElement).value).toBe("too long");
  });

  it("shows the wait when the server rate-limits the sender, and keeps the text", async () => {
    convex.mutations.set("messages:send", () => {
      throw new ConvexError({ code: "RATE_LIMITED", message: "Too many messages", retryAfterMs: 2_300 });
    });
    renderWithEnv(<Messages />);
    const box = screen.getByLabelText("New message");
    await userEvent.type(box, "again");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByRole("alert").textContent).toBe(
      "You are sending messages quickly: wait 3 seconds, then send again.",
    );
    expect((box as HTMLTextAreaElement).value).toBe("again");
  });

  it("says the connection failed for any other error", async () => {
    convex.mutations.set("messages:send", () => {
      throw new Error("WebSocket closed");
    });
    renderWithEnv(<Messages />);
    await userEvent.type(screen.getByLabelText("New message"), "hi");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByRole("alert").textContent).toContain("Check your connection");
  });

  it("keeps Send disabled until there is something to send", async () => {
    renderWithEnv(<Messages />);
    const send = screen.getByRole("button", { name: "Send" }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await userEvent.type(screen.getByLabelText("New message"), "   ");
    expect(send.disabled).toBe(true);
  });
});
