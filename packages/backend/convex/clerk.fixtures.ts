/**
 * Builders for webhook payloads shaped like the ones Clerk sends (ids like `user_…`/`idn_…`, timestamps in
 * milliseconds, the fields the kit ignores included). Used by the tests and by `pnpm webhook:send`. The two
 * dots in the name keep Convex from deploying it. Each builder returns Clerk's own type from @clerk/backend (a
 * dev dependency, imported for its types only, so nothing of it is bundled): a fixture cannot drift from what
 * Clerk sends, and where the kit accepts more than Clerk's type (a null slug), the type says so.
 */
import type {
  DeletedObjectJSON,
  EmailAddressJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  UserJSON,
  VerificationJSON,
  WebhookEvent,
} from "@clerk/backend";

/**
 * Clerk's `UserJSON`, but for the verification of an address: Clerk's specification (`verification_otp`) has no
 * `id`, which @clerk/backend's `VerificationJSON` asks for.
 */
export type UserPayload = Omit<UserJSON, "email_addresses"> & {
  email_addresses: (Omit<EmailAddressJSON, "verification"> & {
    verification: Omit<VerificationJSON, "id" | "object"> & { object: "verification_otp" };
  })[];
};

export type FakeUserOptions = {
  id?: string;
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  /** Email addresses in the order Clerk lists them; the first is primary unless `primaryEmail` says otherwise. */
  emails?: string[];
  primaryEmail?: string;
  /** Addresses among `emails` that the user has not verified (all others are verified). */
  unverifiedEmails?: string[];
  /** null: no picture, which Clerk's type (a string) allows only as "" (the kit stores no picture then). */
  imageUrl?: string | null;
  updatedAt?: number;
  createdAt?: number;
};

/** Clerk ids are a prefix plus 27 base62 characters; this derives a stable one from a seed. */
export function fakeClerkId(prefix: "user" | "idn" | "ins" | "msg" | "org" | "orgmem", seed: string): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let hash = 2166136261;
  let id = "";
  for (let i = 0; i < 27; i++) {
    for (const char of `${seed}:${i}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    id += alphabet[hash % alphabet.length];
  }
  return `${prefix}_${id}`;
}

export function fakeClerkUser(options: FakeUserOptions = {}): UserPayload {
  const id = options.id ?? fakeClerkId("user", "ada");
  const emails = options.emails ?? ["ada@example.com"];
  const emailAddresses: UserPayload["email_addresses"] = emails.map((email_address) => ({
    email_address,
    id: fakeClerkId("idn", `${id}:${email_address}`),
    linked_to: [],
    object: "email_address",
    verification: {
      object: "verification_otp",
      attempts: null,
      expire_at: null,
      status: options.unverifiedEmails?.includes(email_address) ? "unverified" : "verified",
      strategy: "email_code",
    },
  }));
  const primary =
    emailAddresses.find((address) => address.email_address === options.primaryEmail) ?? emailAddresses[0];
  const createdAt = options.createdAt ?? 1_764_000_000_000;
  const imageUrl = options.imageUrl === undefined ? defaultImageUrl(id) : options.imageUrl;
  return {
    backup_code_enabled: false,
    banned: false,
    create_organization_enabled: true,
    create_organizations_limit: null,
    created_at: createdAt,
    delete_self_enabled: true,
    deprovisioned: false,
    email_addresses: emailAddresses,
    enterprise_accounts: [],
    external_accounts: [],
    external_id: null,
    first_name: options.firstName === undefined ? "Ada" : options.firstName,
    has_image: imageUrl !== null,
    id,
    image_url: imageUrl ?? "",
    last_active_at: null,
    last_name: options.lastName === undefined ? "Lovelace" : options.lastName,
    last_sign_in_at: null,
    legal_accepted_at: null,
    locale: null,
    locked: false,
    lockout_expires_in_seconds: null,
    object: "user",
    organization_memberships: null,
    password_enabled: false,
    password_last_updated_at: null,
    phone_numbers: [],
    primary_email_address_id: primary?.id ?? null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    private_metadata: {},
    public_metadata: {},
    timezone: null,
    totp_enabled: false,
    two_factor_enabled: false,
    unsafe_metadata: {},
    updated_at: options.updatedAt ?? createdAt,
    username: options.username === undefined ? null : options.username,
    verification_attempts_remaining: null,
    web3_wallets: [],
  };
}

export type FakeClerkUser = ReturnType<typeof fakeClerkUser>;

function envelope<T>(type: WebhookEvent["type"], data: T, timestamp: number) {
  return {
    data,
    event_attributes: {
      http_request: { client_ip: "203.0.113.7", user_agent: "Mozilla/5.0 (X11; Linux x86_64)" },
    },
    instance_id: fakeClerkId("ins", "starter"),
    object: "event",
    timestamp,
    type,
  };
}

export function fakeUserEvent(type: "user.created" | "user.updated", user: FakeClerkUser) {
  return envelope(type, user, user.updated_at);
}

export function fakeUserDeletedEvent(userId: string, timestamp = Date.now()) {
  const data: DeletedObjectJSON = { deleted: true, id: userId, object: "user" };
  return envelope("user.deleted", data, timestamp);
}

export type FakeOrganizationOptions = {
  id?: string;
  name?: string;
  /** null on an instance with organization slugs turned off (Clerk's type and specification say a string). */
  slug?: string | null;
  /** null: no `image_url` at all (Clerk's type has it optional). */
  imageUrl?: string | null;
  updatedAt?: number;
  createdAt?: number;
  membersCount?: number;
};

/** What Clerk puts in `image_url` when nothing was uploaded: an https URL on its image host. */
function defaultImageUrl(id: string): string {
  return `https://img.clerk.com/${fakeClerkId("ins", id).slice(4)}`;
}

/** Clerk's `OrganizationJSON`, but for a slug the kit also accepts as null. */
export type OrganizationPayload = Omit<OrganizationJSON, "slug"> & { slug: string | null };

/** Clerk's `OrganizationJSON`, with the fields the kit ignores (counts, metadata) included. */
export function fakeClerkOrganization(options: FakeOrganizationOptions = {}): OrganizationPayload {
  const id = options.id ?? fakeClerkId("org", "acme");
  const createdAt = options.createdAt ?? 1_764_000_000_000;
  const imageUrl = options.imageUrl === undefined ? defaultImageUrl(id) : options.imageUrl;
  return {
    admin_delete_enabled: true,
    created_at: createdAt,
    created_by: fakeClerkId("user", "ada"),
    has_image: imageUrl !== null,
    id,
    ...(imageUrl === null ? {} : { image_url: imageUrl }),
    max_allowed_memberships: 5,
    members_count: options.membersCount ?? 1,
    name: options.name ?? "Acme Inc",
    object: "organization",
    pending_invitations_count: 0,
    private_metadata: {},
    public_metadata: {},
    slug: options.slug === undefined ? "acme-inc" : options.slug,
    updated_at: options.updatedAt ?? createdAt,
  };
}

export type FakeClerkOrganization = ReturnType<typeof fakeClerkOrganization>;

export type FakeMembershipOptions = {
  organization?: FakeClerkOrganization;
  userId?: string;
  /** Clerk's role key: `org:admin`, `org:member`, or a custom one. */
  role?: string;
  /** The membership's generation: a re-join gets a newer one. */
  createdAt?: number;
  updatedAt?: number;
};

/** Clerk's `OrganizationMembershipJSON`: the organization embedded whole, the user as `public_user_data`. */
export function fakeClerkMembership(options: FakeMembershipOptions = {}): Omit<
  OrganizationMembershipJSON,
  "organization"
> & {
  organization: OrganizationPayload;
  /** In Clerk's specification (OrganizationMembership), not in @clerk/backend's type. */
  role_name: string;
} {
  const organization = options.organization ?? fakeClerkOrganization();
  const userId = options.userId ?? fakeClerkId("user", "ada");
  const role = options.role ?? "org:member";
  const createdAt = options.createdAt ?? 1_764_000_000_000;
  return {
    created_at: createdAt,
    id: fakeClerkId("orgmem", `${organization.id}:${userId}:${createdAt}`),
    object: "organization_membership",
    organization,
    permissions: role === "org:admin" ? ["org:sys_memberships:manage", "org:sys_profile:delete"] : [],
    private_metadata: {},
    public_metadata: {},
    public_user_data: {
      first_name: "Ada",
      has_image: false,
      identifier: "ada@example.com",
      image_url: "https://img.clerk.com/default",
      last_name: "Lovelace",
      user_id: userId,
    },
    role,
    role_name: role === "org:admin" ? "Admin" : "Member",
    updated_at: options.updatedAt ?? createdAt,
  };
}

export type FakeClerkMembership = ReturnType<typeof fakeClerkMembership>;

export function fakeOrganizationEvent(
  type: "organization.created" | "organization.updated",
  organization: FakeClerkOrganization,
) {
  return envelope(type, organization, organization.updated_at);
}

/** Clerk's `DeletedObjectJSON`: the id and slug, nothing else. */
export function fakeOrganizationDeletedEvent(organizationId: string, timestamp = Date.now()) {
  const data: DeletedObjectJSON = {
    deleted: true,
    id: organizationId,
    object: "organization",
    slug: "acme-inc",
  };
  return envelope("organization.deleted", data, timestamp);
}

/** `organizationMembership.deleted` carries the whole membership, its `updated_at` not bumped. */
export function fakeMembershipEvent(
  type:
    | "organizationMembership.created"
    | "organizationMembership.updated"
    | "organizationMembership.deleted",
  membership: FakeClerkMembership,
  timestamp = membership.updated_at,
) {
  return envelope(type, membership, timestamp);
}
