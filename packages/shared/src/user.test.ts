import { describe, expect, it } from "vitest";
import { type ClerkUser, clerkUserSchema } from "./clerk.ts";
import { type FakeUserOptions, fakeClerkUser } from "./clerk-fixtures.ts";
import { UNNAMED_USER, userFieldsFromClerk } from "./user.ts";

/** Goes through the real schema, as a webhook payload does, so the mapper sees what production sees. */
function clerkUser(options: FakeUserOptions): ClerkUser {
  return clerkUserSchema.parse(fakeClerkUser(options));
}

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
    const fields = userFieldsFromClerk(clerkUser({ firstName: null, lastName: null, username: "ada_l" }));
    expect(fields.name).toBe("ada_l");
  });

  it("treats empty and whitespace-only names as missing", () => {
    const fields = userFieldsFromClerk(clerkUser({ firstName: "  ", lastName: "", username: " " }));
    expect(fields.name).toBe("ada@example.com");
  });

  it("falls back to the email when there is no name or username", () => {
    expect(userFieldsFromClerk(clerkUser({ firstName: null, lastName: null })).name).toBe("ada@example.com");
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

  it("falls back to the first email when the primary id matches no address", () => {
    const user = {
      ...clerkUser({ emails: ["first@example.com", "second@example.com"] }),
      primary_email_address_id: "idn_gone",
    };
    expect(userFieldsFromClerk(user).email).toBe("first@example.com");
  });

  it("stores no imageUrl when Clerk sends none", () => {
    expect(userFieldsFromClerk(clerkUser({ imageUrl: null }))).not.toHaveProperty("imageUrl");
    expect(userFieldsFromClerk(clerkUser({ imageUrl: "https://img.clerk.com/abc" })).imageUrl).toBe(
      "https://img.clerk.com/abc",
    );
  });
});
