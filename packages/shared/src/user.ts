/** Maps Clerk's user JSON to the fields the `users` table stores. Pure, so both sides can use and test it. */
import type { ClerkUser } from "./clerk.ts";

export type UserFields = {
  clerkId: string;
  name: string;
  email?: string;
  imageUrl?: string;
  clerkUpdatedAt: number;
};

export const UNNAMED_USER = "Unnamed user";

/** The primary address when Clerk names one that exists; else the first; else none (phone-only users). */
export function primaryEmail(user: ClerkUser): string | undefined {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id);
  return (primary ?? user.email_addresses[0])?.email_address;
}

function present(value: string | null | undefined): value is string {
  return typeof value === "string" && value.trim() !== "";
}

export function displayName(user: ClerkUser, email: string | undefined): string {
  const fullName = [user.first_name, user.last_name]
    .filter(present)
    .map((part) => part.trim())
    .join(" ");
  if (fullName !== "") return fullName;
  if (present(user.username)) return user.username.trim();
  if (present(email)) return email;
  return UNNAMED_USER;
}

// #region mapper
export function userFieldsFromClerk(user: ClerkUser): UserFields {
  const email = primaryEmail(user);
  const fields: UserFields = {
    clerkId: user.id,
    name: displayName(user, email),
    clerkUpdatedAt: user.updated_at,
  };
  // Absent rather than undefined: Convex stores no field for a missing value.
  if (email !== undefined) fields.email = email;
  if (present(user.image_url)) fields.imageUrl = user.image_url;
  return fields;
}
// #endregion mapper
