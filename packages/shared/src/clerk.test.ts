import { describe, expect, it } from "vitest";
import { parseClerkEvent } from "./clerk.ts";
import { fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "./clerk-fixtures.ts";

const body = (value: unknown) => JSON.stringify(value);

describe("parseClerkEvent", () => {
  it("parses user.created into a typed event and drops the fields the kit does not use", () => {
    const parsed = parseClerkEvent(body(fakeUserEvent("user.created", fakeClerkUser({ id: "user_abc" }))));
    expect(parsed.kind).toBe("event");
    if (parsed.kind !== "event") return;
    expect(parsed.event.type).toBe("user.created");
    expect(parsed.event.data.id).toBe("user_abc");
    expect(parsed.event.data).not.toHaveProperty("private_metadata");
  });

  it("parses user.deleted with just the id", () => {
    const parsed = parseClerkEvent(body(fakeUserDeletedEvent("user_abc")));
    expect(parsed).toEqual({ kind: "event", event: { type: "user.deleted", data: { id: "user_abc" } } });
  });

  it("reports a type it does not handle as unhandled, not invalid", () => {
    expect(parseClerkEvent(body({ type: "session.created", data: { id: "sess_1" } }))).toEqual({
      kind: "unhandled",
      type: "session.created",
    });
  });

  it("rejects a body that is not JSON", () => {
    expect(parseClerkEvent("{not json")).toEqual({ kind: "invalid", error: "body is not JSON" });
  });

  it("rejects JSON without an event type", () => {
    expect(parseClerkEvent(body({ data: {} }))).toEqual({ kind: "invalid", error: "body has no event type" });
    expect(parseClerkEvent("null").kind).toBe("invalid");
  });

  it("names the bad fields of a handled event without echoing their values", () => {
    const user = { ...fakeClerkUser(), id: 42, updated_at: "yesterday", first_name: "Secret Name" };
    const parsed = parseClerkEvent(body({ type: "user.updated", data: user }));
    expect(parsed.kind).toBe("invalid");
    if (parsed.kind !== "invalid") return;
    expect(parsed.error).toContain("data.id");
    expect(parsed.error).toContain("data.updated_at");
    expect(parsed.error).not.toContain("yesterday");
  });

  it("rejects user.deleted without an id", () => {
    expect(
      parseClerkEvent(body({ type: "user.deleted", data: { deleted: true, object: "user" } })).kind,
    ).toBe("invalid");
  });
});
