import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "@repo/shared/clerk-fixtures";
import { describe, expect, it } from "vitest";
import { api, internal } from "./_generated/api";
import { getCurrentUserOrThrow } from "./users";
import { captureLogs, countDocuments, deliver, setupTest } from "./webhook.testkit";

const ADA = fakeClerkId("user", "ada");
const GRACE = fakeClerkId("user", "grace");

describe("users.current", () => {
  it("is null when signed out", async () => {
    const t = setupTest();
    expect(await t.query(api.users.current, {})).toBeNull();
  });

  it("is null for a signed-in user whose webhook has not arrived yet", async () => {
    const t = setupTest();
    expect(await t.withIdentity({ subject: ADA }).query(api.users.current, {})).toBeNull();
  });

  it("returns the synced user with exactly the stored fields once the webhook lands", async () => {
    const t = setupTest();
    captureLogs();
    const asAda = t.withIdentity({ subject: ADA, name: "Name From The Token" });
    await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id: ADA, updatedAt: 1_764_000_000_000 })));

    const user = await asAda.query(api.users.current, {});
    expect(user).toMatchObject({
      clerkId: ADA,
      name: "Ada Lovelace",
      email: "ada@example.com",
      clerkUpdatedAt: 1_764_000_000_000,
    });
    expect(Object.keys(user ?? {}).sort()).toEqual(
      ["_creationTime", "_id", "clerkId", "clerkUpdatedAt", "email", "imageUrl", "name"].sort(),
    );
  });

  it("never shows one user to another identity", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id: ADA })));
    expect(await t.withIdentity({ subject: GRACE }).query(api.users.current, {})).toBeNull();

    await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id: GRACE, firstName: "Grace" })));
    expect((await t.withIdentity({ subject: GRACE }).query(api.users.current, {}))?.clerkId).toBe(GRACE);
    expect((await t.withIdentity({ subject: ADA }).query(api.users.current, {}))?.clerkId).toBe(ADA);
  });

  it("is null again after the user is deleted in Clerk", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id: ADA })));
    await deliver(t, fakeUserDeletedEvent(ADA));
    expect(await t.withIdentity({ subject: ADA }).query(api.users.current, {})).toBeNull();
  });
});

describe("getCurrentUserOrThrow", () => {
  it("throws NOT_SIGNED_IN when signed out and USER_NOT_SYNCED before the webhook", async () => {
    const t = setupTest();
    await expect(t.run((ctx) => getCurrentUserOrThrow(ctx))).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    await expect(
      t.withIdentity({ subject: ADA }).run((ctx) => getCurrentUserOrThrow(ctx)),
    ).rejects.toMatchObject({ data: { code: "USER_NOT_SYNCED" } });
  });

  it("returns the caller's user once synced", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, fakeUserEvent("user.created", fakeClerkUser({ id: ADA })));
    const user = await t.withIdentity({ subject: ADA }).run((ctx) => getCurrentUserOrThrow(ctx));
    expect(user.clerkId).toBe(ADA);
  });
});

describe("upsertFromClerk and deleteFromClerk without a svix id (the backfill)", () => {
  const ada = (clerkUpdatedAt: number) => ({ clerkId: ADA, name: "Ada Lovelace", clerkUpdatedAt });

  it("applies the same rules but writes no event-log entry", async () => {
    const t = setupTest();
    expect(await t.mutation(internal.users.upsertFromClerk, { user: ada(2) })).toBe("created");
    expect(await t.mutation(internal.users.upsertFromClerk, { user: ada(1) })).toBe("stale");
    expect(await t.mutation(internal.users.upsertFromClerk, { user: ada(3) })).toBe("updated");
    expect(await countDocuments(t)).toEqual({ users: 1, webhookEvents: 0, deletedUsers: 0 });

    expect(await t.mutation(internal.users.deleteFromClerk, { clerkId: ADA })).toBe("deleted");
    expect(await t.mutation(internal.users.deleteFromClerk, { clerkId: ADA })).toBe("already_deleted");
    expect(await t.mutation(internal.users.upsertFromClerk, { user: ada(9) })).toBe("deleted_user");
    expect(await countDocuments(t)).toEqual({ users: 0, webhookEvents: 0, deletedUsers: 1 });
  });

  it("records the event type it is given with the svix id", async () => {
    const t = setupTest();
    await t.mutation(internal.users.upsertFromClerk, {
      user: ada(1),
      svixId: "msg_direct",
      eventType: "user.created",
    });
    const log = await t.run((ctx) => ctx.db.query("webhookEvents").collect());
    expect(log).toMatchObject([{ svixId: "msg_direct", type: "user.created", outcome: "created" }]);
  });
});
