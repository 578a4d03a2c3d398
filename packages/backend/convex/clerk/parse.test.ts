import { TOKEN_VERSION, UNNAMED_USER } from "@repo/shared/config";
import type { UserIdentity } from "convex/server";
import { describe, expect, it } from "vitest";
import { type FakeUserOptions, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "../clerk.fixtures";
import {
  MAX_EMAIL_LENGTH,
  MAX_IMAGE_URL_LENGTH,
  MAX_NAME_LENGTH,
  userFieldsFromClerk,
  userFieldsFromToken,
} from "./fields";
import { type ClerkUserJson, entryFromApi, parseClerkEvent } from "./parse";

/** Goes through the real parser, as a webhook payload does, so the mapper sees what production sees. */
function clerkUser(options: FakeUserOptions): ClerkUserJson {
  const parsed = parseClerkEvent(JSON.stringify(fakeUserEvent("user.updated", fakeClerkUser(options))));
  if (parsed.kind !== "event" || parsed.event.type !== "user.updated")
    throw new Error("fixture did not parse");
  return parsed.event.data;
}

describe("parseClerkEvent", () => {
  it("parses user.created and drops the fields the kit does not use", () => {
    const parsed = parseClerkEvent(
      JSON.stringify(fakeUserEvent("user.created", fakeClerkUser({ id: "user_abc" }))),
    );
    expect(parsed.kind).toBe("event");
    if (parsed.kind !== "event" || parsed.event.type !== "user.created") throw new Error("not user.created");
    expect(parsed.event.data.id).toBe("user_abc");
    expect(parsed.event.data).not.toHaveProperty("private_metadata");
    expect(parsed.event.data).not.toHaveProperty("external_accounts");
  });

  it("parses user.deleted with just the id", () => {
    expect(parseClerkEvent(JSON.stringify(fakeUserDeletedEvent("user_abc")))).toEqual({
      kind: "event",
      event: { type: "user.deleted", data: { id: "user_abc" } },
    });
  });

  it("reports a type it does not handle as unhandled, not invalid", () => {
    expect(parseClerkEvent(JSON.stringify({ type: "session.created", data: { id: "sess_1" } }))).toEqual({
      kind: "unhandled",
      type: "session.created",
    });
  });

  it("rejects a body that is not JSON, or JSON without an event type", () => {
    expect(parseClerkEvent("{not json")).toEqual({ kind: "invalid", error: "body is not JSON" });
    expect(parseClerkEvent(JSON.stringify({ data: {} }))).toEqual({
      kind: "invalid",
      error: "body has no event type",
    });
    expect(parseClerkEvent("null").kind).toBe("invalid");
  });

  it("refuses a string or key with an unpaired surrogate, and only that, whatever the escapes around it", () => {
    const event = (name: string) =>
      JSON.stringify(fakeUserEvent("user.updated", fakeClerkUser({ firstName: "NAME" }))).replace(
        "NAME",
        name,
      );
    const lone = { kind: "invalid", error: "body holds a string that is not valid Unicode" };
    expect(parseClerkEvent(event("\\udfff"))).toEqual(lone);
    expect(parseClerkEvent(event("a\\ud83d b"))).toEqual(lone);
    expect(parseClerkEvent(event("x").replace('"type"', '"\\ud800"'))).toEqual(lone);
    // A pair is one character; an escaped backslash before "ud800" is text, not an escape.
    expect(parseClerkEvent(event("\\ud83d\\ude00")).kind).toBe("event");
    expect(parseClerkEvent(event("\\\\ud800")).kind).toBe("event");
    expect(parseClerkEvent(event("\\\\\\ud800")).kind).toBe("invalid");
  });

  it("names the bad field of a handled event without echoing its value", () => {
    const user = { ...fakeClerkUser(), first_name: 42, last_name: "Secret Surname" };
    const parsed = parseClerkEvent(JSON.stringify({ type: "user.updated", data: user }));
    expect(parsed).toEqual({ kind: "invalid", error: "user.updated has an invalid field: data.first_name" });
  });

  it.each([
    ["an empty id", { id: "" }],
    ["an id longer than any Clerk id", { id: `user_${"x".repeat(100)}` }],
    ["a negative updated_at", { updated_at: -1 }],
    ["a fractional updated_at", { updated_at: 1.5 }],
  ])("rejects a user with %s", (_label, change) => {
    const parsed = parseClerkEvent(
      JSON.stringify({ type: "user.created", data: { ...fakeClerkUser(), ...change } }),
    );
    expect(parsed.kind).toBe("invalid");
  });

  it("rejects user.deleted without an id, and with no data at all", () => {
    expect(parseClerkEvent(JSON.stringify({ type: "user.deleted", data: { deleted: true } })).kind).toBe(
      "invalid",
    );
    expect(parseClerkEvent(JSON.stringify({ type: "user.created" }))).toEqual({
      kind: "invalid",
      error: "user.created has an invalid field: data",
    });
  });
});

describe("userFieldsFromClerk", () => {
  it("joins first and last name and keeps the Clerk id, picture and update time", () => {
    const user = clerkUser({
      id: "user_2aVxQm",
      firstName: "Ada",
      lastName: "Lovelace",
      updatedAt: 1_764_000_123_456,
    });
    expect(userFieldsFromClerk(user)).toEqual({
      clerkId: "user_2aVxQm",
      name: "Ada Lovelace",
      email: "ada@example.com",
      imageUrl: user.image_url,
      clerkUpdatedAt: 1_764_000_123_456,
    });
  });

  it("uses the one name that is set when the other is null", () => {
    expect(userFieldsFromClerk(clerkUser({ firstName: "Ada", lastName: null })).name).toBe("Ada");
    expect(userFieldsFromClerk(clerkUser({ firstName: null, lastName: "Lovelace" })).name).toBe("Lovelace");
  });

  it("never produces 'null null' or 'undefined': both names null falls back to the username", () => {
    expect(userFieldsFromClerk(clerkUser({ firstName: null, lastName: null, username: "ada_l" })).name).toBe(
      "ada_l",
    );
  });

  it("treats empty and whitespace-only names as missing, and never falls back to the email", () => {
    const fields = userFieldsFromClerk(clerkUser({ firstName: "  ", lastName: "", username: " " }));
    expect(fields.email).toBe("ada@example.com");
    expect(fields.name).toBe(UNNAMED_USER);
  });

  it("names a user with a verified email but no first, last or username 'Unnamed user', never the address", () => {
    const fields = userFieldsFromClerk(clerkUser({ firstName: null, lastName: null, username: null }));
    expect(fields.email).toBe("ada@example.com");
    expect(fields.name).toBe(UNNAMED_USER);
  });

  it.each([
    "javascript:alert(1)",
    "http://img.clerk.com/ada",
    "data:image/png;base64,AAAA",
    "//img.clerk.com/ada",
    "not a url",
  ])("stores no image URL for %s (https: only)", (imageUrl) => {
    expect(userFieldsFromClerk(clerkUser({ imageUrl }))).not.toHaveProperty("imageUrl");
  });

  it("names a phone-only user 'Unnamed user' and stores no email", () => {
    const fields = userFieldsFromClerk(clerkUser({ firstName: null, lastName: null, emails: [] }));
    expect(fields.name).toBe(UNNAMED_USER);
    expect(fields).not.toHaveProperty("email");
  });

  it("picks the primary email by primary_email_address_id even when it is not listed first", () => {
    const user = clerkUser({
      emails: ["old@example.com", "ada@example.com"],
      primaryEmail: "ada@example.com",
    });
    expect(userFieldsFromClerk(user).email).toBe("ada@example.com");
  });

  it("never stores an unverified address, nor uses it as the name", () => {
    const user = clerkUser({
      firstName: null,
      lastName: null,
      emails: ["ceo@example.com"],
      unverifiedEmails: ["ceo@example.com"],
    });
    const fields = userFieldsFromClerk(user);
    expect(fields).not.toHaveProperty("email");
    expect(fields.name).toBe(UNNAMED_USER);
  });

  it("falls back to the first verified address when the primary one is unverified", () => {
    const user = clerkUser({
      emails: ["claimed@example.com", "real@example.com"],
      primaryEmail: "claimed@example.com",
      unverifiedEmails: ["claimed@example.com"],
    });
    expect(userFieldsFromClerk(user).email).toBe("real@example.com");
  });

  it("cuts an over-long name to the cap, ending in an ellipsis", () => {
    const fields = userFieldsFromClerk(clerkUser({ firstName: "A".repeat(100_000), lastName: null }));
    expect([...fields.name]).toHaveLength(MAX_NAME_LENGTH);
    expect(fields.name.endsWith("…")).toBe(true);
  });

  it("drops, rather than cuts, an over-long email or picture URL", () => {
    const longEmail = `${"a".repeat(MAX_EMAIL_LENGTH)}@example.com`;
    const fields = userFieldsFromClerk(
      clerkUser({
        emails: [longEmail],
        imageUrl: `https://img.clerk.com/${"x".repeat(MAX_IMAGE_URL_LENGTH)}`,
      }),
    );
    expect(fields).not.toHaveProperty("email");
    expect(fields).not.toHaveProperty("imageUrl");
  });
});

describe("entryFromApi", () => {
  it("maps a user from Clerk's Backend API like a webhook's, and returns undefined for one that does not parse", () => {
    expect(entryFromApi("users", fakeClerkUser({ id: "user_api" }))).toMatchObject({
      user: { clerkId: "user_api", name: "Ada Lovelace" },
    });
    expect(entryFromApi("users", { id: "user_api", updated_at: "yesterday" })).toBeUndefined();
  });
});

describe("userFieldsFromToken", () => {
  const base: UserIdentity = {
    subject: "user_tok",
    issuer: "https://verb-noun-42.clerk.accounts.dev",
    tokenIdentifier: "t",
  };

  it("maps the convex template's claims, at the version any webhook replaces", () => {
    const fields = userFieldsFromToken({
      ...base,
      name: "Ada Lovelace",
      email: "ada@example.com",
      emailVerified: true,
      pictureUrl: "https://img.clerk.com/ada",
    });
    expect(fields).toEqual({
      clerkId: "user_tok",
      name: "Ada Lovelace",
      email: "ada@example.com",
      imageUrl: "https://img.clerk.com/ada",
      clerkUpdatedAt: TOKEN_VERSION,
    });
  });

  it("stores the email claim only when email_verified is true", () => {
    expect(userFieldsFromToken({ ...base, email: "ceo@example.com" })).not.toHaveProperty("email");
    expect(userFieldsFromToken({ ...base, email: "ceo@example.com", emailVerified: false }).name).toBe(
      UNNAMED_USER,
    );
  });

  it("falls back from name to nickname, preferred username, then 'Unnamed user', never the email", () => {
    expect(userFieldsFromToken({ ...base, nickname: "ada_l", preferredUsername: "ada" }).name).toBe("ada_l");
    expect(userFieldsFromToken({ ...base, preferredUsername: "ada" }).name).toBe("ada");
    const emailOnly = userFieldsFromToken({ ...base, email: "ada@example.com", emailVerified: true });
    expect(emailOnly.email).toBe("ada@example.com");
    expect(emailOnly.name).toBe(UNNAMED_USER);
  });

  it.each(["null", "undefined", "", "  null "])("treats a claim of %j as absent", (value) => {
    const fields = userFieldsFromToken({
      ...base,
      name: value,
      nickname: value,
      email: value,
      emailVerified: true,
      pictureUrl: value,
    });
    expect(fields).toEqual({ clerkId: "user_tok", name: UNNAMED_USER, clerkUpdatedAt: TOKEN_VERSION });
  });

  it("stores the picture claim only when it is an https: URL", () => {
    expect(userFieldsFromToken({ ...base, pictureUrl: "javascript:alert(1)" })).not.toHaveProperty(
      "imageUrl",
    );
    expect(userFieldsFromToken({ ...base, pictureUrl: "http://img.clerk.com/a" })).not.toHaveProperty(
      "imageUrl",
    );
    expect(userFieldsFromToken({ ...base, pictureUrl: "https://img.clerk.com/a" }).imageUrl).toBe(
      "https://img.clerk.com/a",
    );
  });

  it("makes a bare session token (Clerk's Convex integration, no extra claims) an Unnamed user with nothing else", () => {
    expect(userFieldsFromToken(base)).toEqual({
      clerkId: "user_tok",
      name: UNNAMED_USER,
      clerkUpdatedAt: TOKEN_VERSION,
    });
  });
});
