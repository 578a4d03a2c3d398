import { describe, expect, it, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { CASCADE_BATCH } from "./clerk/batches";
import {
  fakeClerkId,
  fakeClerkMembership,
  fakeClerkOrganization,
  fakeClerkUser,
  fakeMembershipEvent,
  fakeOrganizationDeletedEvent,
  fakeUserDeletedEvent,
  fakeUserEvent,
} from "./clerk.fixtures";
import { MAX_MESSAGE_LENGTH, MAX_PAGE_SIZE, SEND_BURST } from "./messages";
import { captureLogs, countDocuments, deliver, setupTest, type TestConvex } from "./webhook.testkit";

const messageCount = (t: TestConvex) =>
  t.run(async (ctx) => (await ctx.db.query("messages").collect()).length);

const ADA = fakeClerkId("user", "ada");
const GRACE = fakeClerkId("user", "grace");
const FIRST_PAGE = { numItems: 10, cursor: null };

/** A signed-in user with a row, the way the web app gets there: a token call right after sign-in. */
async function signIn(t: TestConvex, subject: string, name: string) {
  const asUser = t.withIdentity({ subject, name });
  await asUser.mutation(api.users.ensureFromToken, {});
  return asUser;
}

describe("messages.send", () => {
  it("stores the trimmed body with the caller as author", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "  Hello, Convex!  " });
    const { page } = await asAda.query(api.messages.list, { paginationOpts: FIRST_PAGE });
    expect(page).toMatchObject([{ body: "Hello, Convex!", author: { name: "Ada" } }]);
  });

  it("accepts exactly 1,000 characters, counting an emoji as one", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "x".repeat(MAX_MESSAGE_LENGTH) });
    await asAda.mutation(api.messages.send, { body: "🎉".repeat(MAX_MESSAGE_LENGTH) });
    expect(await messageCount(t)).toBe(2);
  });

  it.each([
    ["empty", ""],
    ["only whitespace", " \n\t "],
    ["1,001 characters", "x".repeat(MAX_MESSAGE_LENGTH + 1)],
    ["a megabyte", "x".repeat(1_000_000)],
    ["text with an unpaired surrogate", "hello \uD800 world"],
  ])("rejects a body that is %s with INVALID_MESSAGE and writes nothing", async (_label, body) => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await expect(asAda.mutation(api.messages.send, { body })).rejects.toMatchObject({
      data: { code: "INVALID_MESSAGE" },
    });
    expect(await messageCount(t)).toBe(0);
  });

  it.each([
    ["zero-width spaces and joiners (format)", "\u200B\u200C\u200D\u2060\uFEFF"],
    ["bidi marks and a soft hyphen", "\u200E\u200F\u202E\u00AD"],
    ["Hangul fillers", "\u3164\u115F\u1160\uFFA0"],
    ["the blank braille pattern", "\u2800\u2800\u2800"],
    ["variation selectors and a combining grapheme joiner", "\uFE0F\u034F\u{E0100}"],
    ["tag characters", "\u{E0041}\u{E0042}"],
    ["a mix with ideographic spaces", "\u3000\u200B\u3164\u2800"],
    ["default-ignorable code points (unassigned format, specials)", "\u2065\uFFF0\u{E0002}"],
    ["the Khitan small script filler", "\u{16FE4}\u3164\u{16FE4}"],
    ["combining marks, with no character to sit on", "\u0301\u0308\u20DD\u0903"],
    ["the musical symbol combining stem (U+1D159)", "\u{1D159}\u{1D159}"],
    ["object replacement characters (U+FFFC)", "\uFFFC \uFFFC"],
  ])("rejects a body of only %s with INVALID_MESSAGE and writes nothing", async (_label, body) => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await expect(asAda.mutation(api.messages.send, { body })).rejects.toMatchObject({
      data: { code: "INVALID_MESSAGE" },
    });
    expect(await messageCount(t)).toBe(0);
  });

  it("accepts a visible character among invisible ones (an emoji with its variation selector)", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "\u200B❤\uFE0F\u200B" });
    await asAda.mutation(api.messages.send, { body: "한" });
    // A combining mark on a letter (e + U+0301, Devanagari with its vowel sign) shows: it has a base.
    await asAda.mutation(api.messages.send, { body: "e\u0301" });
    await asAda.mutation(api.messages.send, { body: "\u0915\u093F" });
    expect(await messageCount(t)).toBe(4);
  });

  it("throws NOT_SIGNED_IN for an identity from another issuer with a user's subject, and writes nothing", async () => {
    const t = setupTest();
    await signIn(t, ADA, "Ada");
    const impostor = t.withIdentity({ subject: ADA, issuer: "https://evil.example.com" });
    await expect(impostor.mutation(api.messages.send, { body: "hi" })).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    expect((await impostor.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page).toEqual([]);
    expect(await messageCount(t)).toBe(0);
  });

  it("throws NOT_SIGNED_IN when signed out and NO_USER_ROW for a caller without a row", async () => {
    const t = setupTest();
    await expect(t.mutation(api.messages.send, { body: "hi" })).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    await expect(
      t.withIdentity({ subject: ADA }).mutation(api.messages.send, { body: "hi" }),
    ).rejects.toMatchObject({
      data: { code: "NO_USER_ROW" },
    });
    expect(await messageCount(t)).toBe(0);
  });
});

describe("messages.send rate limit: a burst of 10 per user, then about one a second", () => {
  it("refuses the 11th message in a burst with RATE_LIMITED and the wait, writes nothing, then accepts after it", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T09:00:00Z") });
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    for (let i = 0; i < SEND_BURST; i++) await asAda.mutation(api.messages.send, { body: `m${i}` });
    const refused = await asAda.mutation(api.messages.send, { body: "one too many" }).catch((error) => error);
    expect(refused.data).toMatchObject({ code: "RATE_LIMITED" });
    expect(refused.data.retryAfterMs).toBeGreaterThan(0);
    expect(refused.data.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(await messageCount(t)).toBe(SEND_BURST);
    // The bucket refills in floating point; a few ms past the wait it holds a whole token.
    vi.advanceTimersByTime(refused.data.retryAfterMs + 5);
    await asAda.mutation(api.messages.send, { body: "after the wait" });
    expect(await messageCount(t)).toBe(SEND_BURST + 1);
    vi.useRealTimers();
  });

  it("counts each user separately", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T09:00:00Z") });
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const asGrace = await signIn(t, GRACE, "Grace");
    for (let i = 0; i < SEND_BURST; i++) await asAda.mutation(api.messages.send, { body: `m${i}` });
    await expect(asAda.mutation(api.messages.send, { body: "x" })).rejects.toMatchObject({
      data: { code: "RATE_LIMITED" },
    });
    await asGrace.mutation(api.messages.send, { body: "Grace is not held back" });
    expect(await messageCount(t)).toBe(SEND_BURST + 1);
    vi.useRealTimers();
  });
});

describe("messages.remove", () => {
  it("tells each caller which messages they may delete: their own", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const asGrace = await signIn(t, GRACE, "Grace");
    await asAda.mutation(api.messages.send, { body: "from Ada" });
    const { page } = await asGrace.query(api.messages.list, { paginationOpts: FIRST_PAGE });
    expect(page).toMatchObject([{ body: "from Ada", canRemove: false }]);
    const own = await asAda.query(api.messages.list, { paginationOpts: FIRST_PAGE });
    expect(own.page).toMatchObject([{ body: "from Ada", canRemove: true }]);
  });

  it("lets the author delete their message", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const id = await asAda.mutation(api.messages.send, { body: "oops" });
    expect(await asAda.mutation(api.messages.remove, { id })).toBeNull();
    expect(await messageCount(t)).toBe(0);
  });

  it("refuses anyone else with FORBIDDEN and deletes nothing", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const asGrace = await signIn(t, GRACE, "Grace");
    const id = await asAda.mutation(api.messages.send, { body: "mine" });
    await expect(asGrace.mutation(api.messages.remove, { id })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    await expect(t.mutation(api.messages.remove, { id })).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    expect(await messageCount(t)).toBe(1);
  });

  it("does nothing for a message already deleted (a second click)", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const id = await asAda.mutation(api.messages.send, { body: "twice" });
    await asAda.mutation(api.messages.remove, { id });
    expect(await asAda.mutation(api.messages.remove, { id })).toBeNull();
  });
});

describe("messages.list", () => {
  it.each([
    [100_000, MAX_PAGE_SIZE],
    [0, 1],
    [-5, 1],
    [2.5, 2],
  ])("clamps numItems %d to %d", async (numItems, expected) => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await t.run(async (ctx) => {
      const ada = (await ctx.db.query("users").first())?._id as Id<"users">;
      for (let i = 0; i < MAX_PAGE_SIZE + 5; i++)
        await ctx.db.insert("messages", { authorId: ada, body: `m${i}` });
    });
    const { page } = await asAda.query(api.messages.list, { paginationOpts: { numItems, cursor: null } });
    expect(page).toHaveLength(expected);
  });

  it("gives a signed-out caller, and one without a row, no messages", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "members only" });
    expect((await t.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page).toEqual([]);
    const noRow = t.withIdentity({ subject: GRACE });
    expect((await noRow.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page).toEqual([]);
  });

  it("shows everyone's messages newest first, page by page", async () => {
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    const asGrace = await signIn(t, GRACE, "Grace");
    for (let i = 1; i <= 5; i++) {
      await (i % 2 === 1 ? asAda : asGrace).mutation(api.messages.send, { body: `message ${i}` });
    }
    const first = await asGrace.query(api.messages.list, { paginationOpts: { numItems: 3, cursor: null } });
    expect(first.page.map((message) => message.body)).toEqual(["message 5", "message 4", "message 3"]);
    expect(first.isDone).toBe(false);
    const second = await asGrace.query(api.messages.list, {
      paginationOpts: { numItems: 3, cursor: first.continueCursor },
    });
    expect(second.page.map((message) => `${message.author.name}: ${message.body}`)).toEqual([
      "Grace: message 2",
      "Ada: message 1",
    ]);
    expect(second.isDone).toBe(true);
  });

  it("shows an author's new name on their old messages as soon as Clerk's webhook renames them", async () => {
    const t = setupTest();
    captureLogs();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "before the rename" });
    const renamed = fakeClerkUser({
      id: ADA,
      firstName: "Augusta",
      lastName: "King",
      updatedAt: 1_764_000_000_000,
    });
    expect((await deliver(t, fakeUserEvent("user.updated", renamed))).status).toBe(200);
    const { page } = await asAda.query(api.messages.list, { paginationOpts: FIRST_PAGE });
    expect(page).toMatchObject([
      { body: "before the rename", author: { name: "Augusta King", imageUrl: renamed.image_url } },
    ]);
  });
});

describe("when Clerk deletes a user", () => {
  it("hides their messages at once, removes them right after, and leaves everyone else's", async () => {
    vi.useFakeTimers();
    const t = setupTest();
    captureLogs();
    const asAda = await signIn(t, ADA, "Ada");
    const asGrace = await signIn(t, GRACE, "Grace");
    await asAda.mutation(api.messages.send, { body: "from Ada" });
    await asGrace.mutation(api.messages.send, { body: "from Grace" });

    expect((await deliver(t, fakeUserDeletedEvent(ADA))).status).toBe(200);
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 1 });
    const { page } = await asGrace.query(api.messages.list, { paginationOpts: FIRST_PAGE });
    expect(page).toMatchObject([{ body: "from Grace", author: { name: "Grace" } }]);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await messageCount(t)).toBe(1);
    vi.useRealTimers();
  });

  it("removes them the same way when sync:clerk finds the user gone (it calls the same deletion)", async () => {
    vi.useFakeTimers();
    const t = setupTest();
    const asAda = await signIn(t, ADA, "Ada");
    await asAda.mutation(api.messages.send, { body: "from Ada" });
    await t.mutation(internal.clerk.users.deleteFromClerk, { clerkId: ADA });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await messageCount(t)).toBe(0);
    vi.useRealTimers();
  });

  it("deletes more messages than one transaction holds in scheduled batches", async () => {
    vi.useFakeTimers();
    // Each batch, and the webhook's own transaction, must stay within a batch's writes (plus the row and its
    // tombstone, and the rate limiter's).
    const t = setupTest({ transactionLimits: { documentsWritten: CASCADE_BATCH + 8 } });
    captureLogs();
    const asAda = await signIn(t, ADA, "Ada");
    const count = CASCADE_BATCH * 2 + 7;
    for (let start = 0; start < count; start += CASCADE_BATCH) {
      await t.run(async (ctx) => {
        const ada = (await ctx.db.query("users").first())?._id as Id<"users">;
        const end = Math.min(count, start + CASCADE_BATCH);
        for (let i = start; i < end; i++) await ctx.db.insert("messages", { authorId: ada, body: `m${i}` });
      });
    }
    await asAda.mutation(api.messages.send, { body: "last" });

    expect((await deliver(t, fakeUserDeletedEvent(ADA))).status).toBe(200);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
    expect(await messageCount(t)).toBe(0);
    vi.useRealTimers();
  });
});

const LINUS = fakeClerkId("user", "linus");
const ACME = fakeClerkId("org", "acme");
const GLOBEX = fakeClerkId("org", "globex");
const T0 = 1_764_000_000_000;

/** A membership event as Clerk's webhook delivers it, the organization embedded. */
function joined(orgId: string, userId: string, role = "org:member", updatedAt = T0) {
  const organization = fakeClerkOrganization({ id: orgId, name: orgId === ACME ? "Acme" : "Globex" });
  return fakeMembershipEvent(
    updatedAt === T0 ? "organizationMembership.created" : "organizationMembership.updated",
    fakeClerkMembership({ organization, userId, role, updatedAt }),
  );
}

/** Clerk's v2 session token with an active organization (`rol` without the `org:` prefix). */
const inOrg = (t: TestConvex, subject: string, id: string, rol: string) =>
  t.withIdentity({ subject, o: { id, rol } });

/** Ada (admin) and Grace (member) in Acme, Linus (admin) in Globex, each with a row. */
async function rooms(options: Parameters<typeof setupTest>[0] = {}) {
  const t = setupTest(options);
  captureLogs();
  for (const [id, name] of [
    [ADA, "Ada"],
    [GRACE, "Grace"],
    [LINUS, "Linus"],
  ] as const) {
    await signIn(t, id, name);
  }
  await deliver(t, joined(ACME, ADA, "org:admin"));
  await deliver(t, joined(ACME, GRACE));
  await deliver(t, joined(GLOBEX, LINUS, "org:admin"));
  return t;
}

const bodies = async (as: ReturnType<TestConvex["withIdentity"]>) =>
  (await as.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page.map((message) => message.body);

describe("rooms: the active organization's, or the shared one without", () => {
  it("shows each room only its own messages", async () => {
    const t = await rooms();
    await t.withIdentity({ subject: ADA }).mutation(api.messages.send, { body: "shared" });
    await inOrg(t, GRACE, ACME, "member").mutation(api.messages.send, { body: "in Acme" });
    await inOrg(t, LINUS, GLOBEX, "admin").mutation(api.messages.send, { body: "in Globex" });
    expect(await bodies(inOrg(t, ADA, ACME, "admin"))).toEqual(["in Acme"]);
    expect(await bodies(t.withIdentity({ subject: GRACE }))).toEqual(["shared"]);
    expect(await bodies(inOrg(t, LINUS, GLOBEX, "admin"))).toEqual(["in Globex"]);
  });

  it("gives a forged o claim no room and no fallback: NOT_A_MEMBER on list, send and remove, nothing written", async () => {
    const t = await rooms();
    const id = await inOrg(t, ADA, ACME, "admin").mutation(api.messages.send, { body: "in Acme" });
    await t.withIdentity({ subject: GRACE }).mutation(api.messages.send, { body: "shared" });
    const forged = inOrg(t, LINUS, ACME, "admin");
    await expect(bodies(forged)).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await expect(forged.mutation(api.messages.send, { body: "hi" })).rejects.toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
    await expect(forged.mutation(api.messages.remove, { id })).rejects.toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
    expect(await messageCount(t)).toBe(2);
  });

  it("shuts a removed member out at once, although their token still names the organization", async () => {
    const t = await rooms();
    const grace = inOrg(t, GRACE, ACME, "member");
    await grace.mutation(api.messages.send, { body: "before" });
    await deliver(
      t,
      fakeMembershipEvent(
        "organizationMembership.deleted",
        fakeClerkMembership({ organization: fakeClerkOrganization({ id: ACME }), userId: GRACE }),
      ),
    );
    await expect(bodies(grace)).rejects.toMatchObject({ data: { code: "NOT_A_MEMBER" } });
    await expect(grace.mutation(api.messages.send, { body: "after" })).rejects.toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
    expect(await messageCount(t)).toBe(1);
  });

  it("lets an admin of the room's organization delete anyone's message there, and a member only their own", async () => {
    const t = await rooms();
    const ada = inOrg(t, ADA, ACME, "admin");
    const grace = inOrg(t, GRACE, ACME, "member");
    const fromAda = await ada.mutation(api.messages.send, { body: "from Ada" });
    const fromGrace = await grace.mutation(api.messages.send, { body: "from Grace" });
    const canRemove = async (as: typeof ada) =>
      (await as.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page.map((m) => m.canRemove);
    expect(await canRemove(ada)).toEqual([true, true]);
    expect(await canRemove(grace)).toEqual([true, false]);
    await expect(grace.mutation(api.messages.remove, { id: fromAda })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    await ada.mutation(api.messages.remove, { id: fromGrace });
    expect(await bodies(ada)).toEqual(["from Ada"]);
  });

  it("takes a demoted admin's right to delete others' messages at once, whichever of token and row says member", async () => {
    const t = await rooms();
    const id = await inOrg(t, GRACE, ACME, "member").mutation(api.messages.send, { body: "from Grace" });
    // The token says member (refreshed after a demotion) while the row still says admin.
    await expect(inOrg(t, ADA, ACME, "member").mutation(api.messages.remove, { id })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    // The webhook has landed; the token, a minute old, still says admin.
    await deliver(t, joined(ACME, ADA, "org:member", T0 + 5));
    const stale = inOrg(t, ADA, ACME, "admin");
    expect((await stale.query(api.messages.list, { paginationOpts: FIRST_PAGE })).page[0]?.canRemove).toBe(
      false,
    );
    await expect(stale.mutation(api.messages.remove, { id })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    expect(await messageCount(t)).toBe(1);
  });

  it("refuses an admin of another organization, and an admin in the shared room, with FORBIDDEN", async () => {
    const t = await rooms();
    const inAcme = await inOrg(t, GRACE, ACME, "member").mutation(api.messages.send, { body: "in Acme" });
    const shared = await t.withIdentity({ subject: GRACE }).mutation(api.messages.send, { body: "shared" });
    await expect(
      inOrg(t, LINUS, GLOBEX, "admin").mutation(api.messages.remove, { id: inAcme }),
    ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    await expect(
      inOrg(t, ADA, ACME, "admin").mutation(api.messages.remove, { id: shared }),
    ).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    expect(await messageCount(t)).toBe(2);
  });

  it("applies one rate limit per user across every room", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T09:00:00Z") });
    const t = await rooms();
    const inAcme = inOrg(t, ADA, ACME, "admin");
    for (let i = 0; i < SEND_BURST; i++) await inAcme.mutation(api.messages.send, { body: `m${i}` });
    await expect(
      t.withIdentity({ subject: ADA }).mutation(api.messages.send, { body: "x" }),
    ).rejects.toMatchObject({
      data: { code: "RATE_LIMITED" },
    });
    expect(await messageCount(t)).toBe(SEND_BURST);
    vi.useRealTimers();
  });
});

describe("when Clerk deletes an organization", () => {
  it("hides its room at once and deletes its messages in scheduled batches, each within Convex's limits; other rooms stay", async () => {
    vi.useFakeTimers();
    // Writes per transaction cut to little more than one batch (plus the organization, its tombstone, its
    // memberships and the scheduled job).
    const t = await rooms({ transactionLimits: { documentsWritten: CASCADE_BATCH + 8 } });
    await inOrg(t, LINUS, GLOBEX, "admin").mutation(api.messages.send, { body: "in Globex" });
    await t.withIdentity({ subject: ADA }).mutation(api.messages.send, { body: "shared" });
    const count = CASCADE_BATCH * 2 + 3;
    for (let start = 0; start < count; start += CASCADE_BATCH) {
      await t.run(async (ctx) => {
        const authorId = (await ctx.db.query("users").first())?._id as Id<"users">;
        for (let i = start; i < Math.min(count, start + CASCADE_BATCH); i++) {
          await ctx.db.insert("messages", { authorId, body: `m${i}`, clerkOrgId: ACME });
        }
      });
    }
    expect((await deliver(t, fakeOrganizationDeletedEvent(ACME))).status).toBe(200);
    await expect(bodies(inOrg(t, ADA, ACME, "admin"))).rejects.toMatchObject({
      data: { code: "NOT_A_MEMBER" },
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const left = await t.run(async (ctx) => (await ctx.db.query("messages").collect()).map((m) => m.body));
    expect(left.sort()).toEqual(["in Globex", "shared"]);
    vi.useRealTimers();
  });
});
