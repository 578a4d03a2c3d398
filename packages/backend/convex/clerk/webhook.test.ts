/** The webhook endpoint against design.md's status table: each row's status and exactly what it wrote. */
import { describe, expect, it, vi } from "vitest";
import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "../clerk.fixtures";
import {
  captureLogs,
  countDocuments,
  deliver,
  documentBytes,
  NOTHING,
  OTHER_SECRET,
  parseDeliveryLine,
  post,
  setupTest,
  signedDelivery,
  userByClerkId,
} from "../webhook.testkit";
import { MAX_NAME_LENGTH } from "./fields";
import { MAX_BODY_BYTES } from "./webhook";

const ADA = fakeClerkId("user", "ada");
const created = (updatedAt = 1_764_000_000_000, options = {}) =>
  fakeUserEvent("user.created", fakeClerkUser({ id: ADA, updatedAt, ...options }));
const updated = (updatedAt: number, options = {}) =>
  fakeUserEvent("user.updated", fakeClerkUser({ id: ADA, updatedAt, ...options }));

describe("verified user.created / user.updated → 200, upsert by clerkId", () => {
  it("user.created stores the mapped fields", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, created(1_764_000_000_000));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("created");
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    const user = await userByClerkId(t, ADA);
    expect(user).toMatchObject({
      clerkId: ADA,
      name: "Ada Lovelace",
      email: "ada@example.com",
      clerkUpdatedAt: 1_764_000_000_000,
    });
    expect(user?.imageUrl).toMatch(/^https:\/\/img\.clerk\.com\//);
  });

  it("a newer user.updated replaces the stored fields, clearing the ones Clerk cleared", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created(1_764_000_000_000));
    const response = await deliver(
      t,
      updated(1_764_000_000_500, { firstName: "Augusta", lastName: null, imageUrl: null }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("updated");
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    const user = await userByClerkId(t, ADA);
    expect(user).toMatchObject({ name: "Augusta", clerkUpdatedAt: 1_764_000_000_500 });
    expect(user).not.toHaveProperty("imageUrl");
  });
});

describe("only verified email addresses are stored", () => {
  it("stores no email, and does not name the user after it, when the only address is unverified", async () => {
    const t = setupTest();
    captureLogs();
    const event = created(1_764_000_000_000, {
      firstName: null,
      lastName: null,
      emails: ["ceo@example.com"],
      unverifiedEmails: ["ceo@example.com"],
    });
    expect((await deliver(t, event)).status).toBe(200);
    const user = await userByClerkId(t, ADA);
    expect(user).not.toHaveProperty("email");
    expect(user?.name).toBe("Unnamed user");
  });
});

describe("verified user.updated for an unknown user → 200, creates it", () => {
  it("creates the user when user.updated overtakes user.created", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, updated(1_764_000_000_900));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("created");
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    expect(await userByClerkId(t, ADA)).toMatchObject({ clerkUpdatedAt: 1_764_000_000_900 });
  });
});

describe("verified event older than the stored user → 200, no user write", () => {
  it("keeps the newer version when the older one arrives late", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, updated(1_764_000_000_900, { firstName: "New" }));
    const before = await userByClerkId(t, ADA);
    const response = await deliver(t, created(1_764_000_000_000, { firstName: "Old" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("stale");
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    expect(await userByClerkId(t, ADA)).toEqual(before);
  });

  it("treats an event with the same updated_at as stale (only strictly newer wins)", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, updated(1_764_000_000_900, { firstName: "First" }));
    const response = await deliver(t, updated(1_764_000_000_900, { firstName: "Second" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("stale");
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    expect((await userByClerkId(t, ADA))?.name).toBe("First Lovelace");
  });
});

describe("verified event for a deleted (tombstoned) user → 200, no user write", () => {
  it("does not bring the user back with a later-delivered user.updated", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created(1_764_000_000_000));
    await deliver(t, fakeUserDeletedEvent(ADA));
    const response = await deliver(t, updated(1_764_000_009_999));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("deleted_user");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });
});

describe("verified user.deleted → 200, user removed, tombstone kept", () => {
  it("removes a known user and leaves a tombstone", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    const response = await deliver(t, fakeUserDeletedEvent(ADA));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("deleted");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });

  it("tombstones an unknown user, so its late user.created cannot create it", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, fakeUserDeletedEvent(ADA));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("already_deleted");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
    expect(await (await deliver(t, created())).text()).toBe("deleted_user");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });

  it("a second user.deleted (a new message) keeps a single tombstone", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    await deliver(t, fakeUserDeletedEvent(ADA));
    const response = await deliver(t, fakeUserDeletedEvent(ADA));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("already_deleted");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });
});

describe("the same svix message delivered again → 200, nothing beyond the first delivery", () => {
  it("a retried user.created (same svix id, re-signed later) writes nothing", async () => {
    const t = setupTest();
    captureLogs();
    const event = created();
    const first = await deliver(t, event, { svixId: "msg_retried" });
    expect(first.status).toBe(200);
    const afterFirst = await countDocuments(t);
    const user = await userByClerkId(t, ADA);

    // Svix signs each attempt anew with its own timestamp but keeps the message id.
    const retry = await deliver(t, event, { svixId: "msg_retried", sentAt: new Date(Date.now() + 60_000) });
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe("stale");
    expect(await countDocuments(t)).toEqual(afterFirst);
    expect(await userByClerkId(t, ADA)).toEqual(user);
  });

  it("a replayed user.deleted writes nothing", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    await deliver(t, fakeUserDeletedEvent(ADA), { svixId: "msg_delete" });
    const before = await countDocuments(t);
    const replay = await deliver(t, fakeUserDeletedEvent(ADA), { svixId: "msg_delete" });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe("already_deleted");
    expect(await countDocuments(t)).toEqual(before);
  });
});

describe("verified event of a type it does not handle → 200, no write, logged", () => {
  it("acknowledges session.created without writing and logs its type", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const response = await deliver(t, {
      type: "session.created",
      object: "event",
      data: { id: "sess_2a1b", user_id: ADA },
    });
    expect(response.status).toBe(200);
    expect(await countDocuments(t)).toEqual(NOTHING);
    expect(logs).toHaveLength(1);
    expect(parseDeliveryLine(logs[0])).toMatchObject({
      status: 200,
      type: "session.created",
      outcome: "ignored",
    });
  });
});

describe("missing svix header, bad signature, stale timestamp, wrong secret → 400, no write", () => {
  it.each(["svix-id", "svix-timestamp", "svix-signature"])("rejects a request without %s", async (header) => {
    const t = setupTest();
    captureLogs();
    const delivery = signedDelivery(created());
    delete delivery.headers[header];
    expect((await post(t, delivery)).status).toBe(400);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });

  it("rejects a body changed after signing", async () => {
    const t = setupTest();
    captureLogs();
    const delivery = signedDelivery(created());
    const tampered = delivery.body.replace("Ada", "Eve");
    expect(tampered).not.toBe(delivery.body);
    expect((await post(t, { ...delivery, body: tampered })).status).toBe(400);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });

  it("rejects a signature made with another secret", async () => {
    const t = setupTest();
    captureLogs();
    expect((await deliver(t, created(), { secret: OTHER_SECRET })).status).toBe(400);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });

  it.each([
    ["6 minutes old", -6 * 60_000],
    ["6 minutes in the future", 6 * 60_000],
  ])("rejects a correctly signed message whose timestamp is %s", async (_label, offset) => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, created(), { sentAt: new Date(Date.now() + offset) });
    expect(response.status).toBe(400);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });

  it("accepts a correctly signed message 4 minutes old (inside Svix's tolerance)", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, created(), { sentAt: new Date(Date.now() - 4 * 60_000) });
    expect(response.status).toBe(200);
  });
});

describe("verified valid event with deeply nested metadata", () => {
  // Clerk stores any JSON in unsafe_metadata (up to 8 KB: ~3,000 levels of `{"a":` fit). The body check must
  // not recurse with it: a stack overflow there turned a valid event into a 422 Svix never retries.
  it("applies a user.updated whose unsafe_metadata nests 3,000 levels deep", async () => {
    const t = setupTest();
    captureLogs();
    const nested = `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`;
    const user = fakeClerkUser({ id: ADA, firstName: "Deep", updatedAt: 1_764_000_000_000 });
    const event = fakeUserEvent("user.updated", { ...user, unsafe_metadata: { nested: "NESTED" } });
    const body = JSON.stringify(event).replace('{"nested":"NESTED"}', nested);
    expect(JSON.parse(body).data.unsafe_metadata.a.a.a).toBeDefined();
    expect((await deliver(t, body)).status).toBe(200);
    expect((await countDocuments(t)).users).toBe(1);
  });
});

describe("verified body that is not a valid event → 422, no write", () => {
  it.each([
    ["not JSON", "{not json"],
    ["JSON without a type", JSON.stringify({ data: { id: ADA } })],
    ["user.created without an id", JSON.stringify({ type: "user.created", data: { updated_at: 1 } })],
    ["user.updated without updated_at", JSON.stringify({ type: "user.updated", data: { id: ADA } })],
    ["user.deleted without an id", JSON.stringify({ type: "user.deleted", data: { deleted: true } })],
    // Convex stores only valid Unicode: stored, it would fail in the mutation (a 500, retried for a day).
    [
      "a name holding an unpaired surrogate (\\ud800)",
      JSON.stringify(created(1_764_000_000_000, { firstName: "LONE" })).replace("LONE", "\\ud800abc"),
    ],
  ])("rejects a signed body that is %s", async (_label, body) => {
    const t = setupTest();
    captureLogs();
    expect((await deliver(t, body)).status).toBe(422);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });
});

describe("CLERK_WEBHOOK_SECRET unset or unusable → 500 with a log line naming it", () => {
  it("answers 500 and says which variable to set and how", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    const logs = captureLogs();
    expect((await deliver(t, created())).status).toBe(500);
    expect(await countDocuments(t)).toEqual(NOTHING);
    expect(logs).toEqual([expect.stringContaining("CLERK_WEBHOOK_SECRET is not set")]);
    expect(logs[0]).toContain("pnpm convex env set CLERK_WEBHOOK_SECRET");
  });

  it("answers 500 when the secret is not a whsec_ signing secret", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", "whsec_not*base64!");
    const logs = captureLogs();
    expect((await deliver(t, created())).status).toBe(500);
    expect(await countDocuments(t)).toEqual(NOTHING);
    expect(logs).toEqual([expect.stringContaining("CLERK_WEBHOOK_SECRET is not a usable signing secret")]);
  });

  // A 1-byte key is guessed in a few hundred forged requests; svix itself would accept each of these.
  it.each([
    ["a 1-byte key", "whsec_Kg=="],
    ["a placeholder", "whsec_test"],
    ["a 4-byte key", `whsec_${btoa("test")}`],
    ["a 23-byte key", `whsec_${btoa("x".repeat(23))}`],
  ])("answers 500 to a delivery signed with %s, and writes nothing", async (_label, secret) => {
    const t = setupTest();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", secret);
    const logs = captureLogs();
    const response = await deliver(t, created(), { secret });
    expect(response.status).toBe(500);
    expect(response.headers.get("webhook-delivery")).toBeNull();
    expect(await countDocuments(t)).toEqual(NOTHING);
    expect(logs).toEqual([expect.stringContaining("CLERK_WEBHOOK_SECRET is not a usable signing secret")]);
    expect(logs[0]).toContain("pnpm convex env set CLERK_WEBHOOK_SECRET");
    expect(logs[0]).not.toContain(secret.slice("whsec_".length));
  });

  it("accepts a delivery signed with a 24-byte key", async () => {
    const t = setupTest();
    const secret = `whsec_${btoa("y".repeat(24))}`;
    vi.stubEnv("CLERK_WEBHOOK_SECRET", secret);
    captureLogs();
    expect((await deliver(t, created(), { secret })).status).toBe(200);
  });
});

describe("webhook-delivery: abort-message on 413 and 422 only (Svix's delivery control)", () => {
  const abort = (response: Response) => response.headers.get("webhook-delivery");

  it("tells Svix to stop retrying a verified body that is not an event (422)", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, "{not json");
    expect(response.status).toBe(422);
    expect(abort(response)).toBe("abort-message");
  });

  it("tells Svix to stop retrying a body over the limit (413)", async () => {
    const t = setupTest();
    captureLogs();
    const response = await post(t, signedDelivery({ ...created(), padding: "p".repeat(MAX_BODY_BYTES) }));
    expect(response.status).toBe(413);
    expect(abort(response)).toBe("abort-message");
  });

  it("lets Svix retry a 400 (our secret may be the wrong one) and a 500 (transient)", async () => {
    const t = setupTest();
    captureLogs();
    const unverified = await deliver(t, created(), { secret: OTHER_SECRET });
    expect(unverified.status).toBe(400);
    expect(abort(unverified)).toBeNull();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    const misconfigured = await deliver(t, created());
    expect(misconfigured.status).toBe(500);
    expect(abort(misconfigured)).toBeNull();
  });

  it("sends no delivery-control header with a 200", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, created());
    expect(response.status).toBe(200);
    expect(abort(response)).toBeNull();
  });
});

describe("updated_at more than a day ahead → 422, no write", () => {
  const DAY = 24 * 60 * 60 * 1000;

  it("refuses an event from the far future, which would freeze the row against every real update", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created(1_764_000_000_000));
    const response = await deliver(t, updated(Date.now() + DAY + 60_000, { firstName: "Frozen" }));
    expect(response.status).toBe(422);
    expect(response.headers.get("webhook-delivery")).toBe("abort-message");
    expect(await userByClerkId(t, ADA)).toMatchObject({
      name: "Ada Lovelace",
      clerkUpdatedAt: 1_764_000_000_000,
    });
    // The next real update still applies.
    expect((await deliver(t, updated(1_764_000_000_500, { firstName: "Augusta" }))).status).toBe(200);
    expect(await userByClerkId(t, ADA)).toMatchObject({ name: "Augusta Lovelace" });
  });

  it("accepts an event a few hours ahead (a clock's drift)", async () => {
    const t = setupTest();
    captureLogs();
    expect((await deliver(t, created(Date.now() + 3 * 60 * 60 * 1000))).status).toBe(200);
  });
});

describe("a failure inside the mutation → 5xx, the transaction rolls back", () => {
  // convex-test cannot inject an OCC conflict or an outage. A write limit of one document per transaction
  // makes the real user.deleted mutation throw on its second write (the tombstone, after deleting the user):
  // a throw mid-transaction must undo the earlier write and turn into a 500 so that Svix retries.
  it("answers 500 and leaves the user in place when the deletion fails halfway", async () => {
    const t = setupTest({ transactionLimits: { documentsWritten: 1 } });
    const logs = captureLogs();
    await deliver(t, created());
    logs.length = 0;

    const response = await deliver(t, fakeUserDeletedEvent(ADA));
    expect(response.status).toBe(500);
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
    expect(logs).toHaveLength(1);
    expect(parseDeliveryLine(logs[0])).toMatchObject({ status: 500, type: "user.deleted" });
    expect(parseDeliveryLine(logs[0]).outcome).toMatch(/^failed/);
  });
});

describe("logging", () => {
  it("logs one line per delivery with svix id, type and outcome, and no personal data", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const event = created(1_764_000_000_000, { emails: ["ada.lovelace@example.org"] });
    await deliver(t, event, { svixId: "msg_log_check" });
    expect(logs).toHaveLength(1);
    expect(parseDeliveryLine(logs[0])).toEqual({
      status: 200,
      svixId: "msg_log_check",
      type: "user.created",
      outcome: "created",
    });
    for (const personal of ["Ada", "Lovelace", "ada.lovelace@example.org", event.data.image_url]) {
      expect(logs[0]).not.toContain(personal);
    }
  });
});

describe("caps: no delivery can make a document approach Convex's 1 MiB limit", () => {
  it("cuts a name of almost 1 MiB to the cap and stores a document of a few KB", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(
      t,
      created(1_764_000_000_000, { firstName: "A".repeat(1_000_000), lastName: null }),
    );
    expect(response.status).toBe(200);
    const user = await userByClerkId(t, ADA);
    expect([...(user?.name ?? "")]).toHaveLength(MAX_NAME_LENGTH);
    expect(documentBytes(user)).toBeLessThan(4 * 1024);
  });

  it("keeps every field small whatever the payload holds", async () => {
    const t = setupTest();
    captureLogs();
    const huge = "x".repeat(150_000);
    const response = await deliver(
      t,
      created(1_764_000_000_000, {
        firstName: huge,
        lastName: huge,
        username: huge,
        emails: [`${huge}@example.com`],
        imageUrl: `https://img.clerk.com/${huge}`,
      }),
    );
    expect(response.status).toBe(200);
    expect(documentBytes(await userByClerkId(t, ADA))).toBeLessThan(4 * 1024);
  });

  it("answers 422 and writes nothing for an id no Clerk user could have", async () => {
    const t = setupTest();
    captureLogs();
    const response = await deliver(t, fakeUserDeletedEvent(`user_${"x".repeat(500_000)}`));
    expect(response.status).toBe(422);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });
});

describe("body over 1 MiB → 413 before verifying, no write", () => {
  it("refuses a body whose content-length is over the limit without verifying it", async () => {
    const t = setupTest();
    const logs = captureLogs();
    // Signed with another secret: a 400 here would mean the body was verified before its size was checked.
    const delivery = signedDelivery(created(), { secret: OTHER_SECRET });
    const response = await post(t, {
      headers: { ...delivery.headers, "content-length": String(MAX_BODY_BYTES + 1) },
      body: delivery.body,
    });
    expect(response.status).toBe(413);
    expect(await countDocuments(t)).toEqual(NOTHING);
    expect(parseDeliveryLine(logs[0])).toMatchObject({ status: 413 });
  });

  it("refuses a body that turns out bigger than the limit, whatever its headers say", async () => {
    const t = setupTest();
    captureLogs();
    const padded = { ...created(), padding: "p".repeat(MAX_BODY_BYTES) };
    // Correctly signed, so only the size can reject it.
    const response = await post(t, signedDelivery(padded));
    expect(response.status).toBe(413);
    expect(await countDocuments(t)).toEqual(NOTHING);
  });

  it("accepts a signed event just under the limit", async () => {
    const t = setupTest();
    captureLogs();
    const body = JSON.stringify(created());
    const padded = { ...created(), padding: "p".repeat(MAX_BODY_BYTES - body.length - 20) };
    expect((await post(t, signedDelivery(padded))).status).toBe(200);
  });
});

describe("log lines quote at most 64 characters of what an unverified sender chose", () => {
  it("cuts a 16 KB svix-id short in the log of a rejected request", async () => {
    const t = setupTest();
    const logs = captureLogs();
    const svixId = `msg_${"A".repeat(16 * 1024)}`;
    const response = await deliver(t, created(), { svixId, secret: OTHER_SECRET });
    expect(response.status).toBe(400);
    expect(logs).toHaveLength(1);
    const logged = parseDeliveryLine(logs[0]).svixId ?? "";
    expect(logged.length).toBeLessThanOrEqual(65);
    expect(svixId.startsWith(logged.slice(0, 64))).toBe(true);
    expect(logs[0]?.length).toBeLessThan(400);
  });
});
