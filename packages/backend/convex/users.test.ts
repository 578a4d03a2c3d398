import { TOKEN_VERSION } from "@repo/shared/config";
import { v } from "convex/values";
import { convexTest } from "convex-test";
import { describe, expect, it, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import type { MutationCtx } from "./_generated/server";
import { clerkTables } from "./clerk/tables";
import { fakeClerkId, fakeClerkUser, fakeUserDeletedEvent, fakeUserEvent } from "./clerk.fixtures";
import { getCurrentUserOrThrow } from "./functions";
import schema from "./schema";
import {
  captureLogs,
  countDocuments,
  deliver,
  modules,
  schemaWithUserFields,
  setupTest,
  TEST_ISSUER,
  TEST_SECRET,
  userByClerkId,
  userRow,
} from "./webhook.testkit";

const ADA = fakeClerkId("user", "ada");
const GRACE = fakeClerkId("user", "grace");
const created = (id = ADA, updatedAt = 1_764_000_000_000) =>
  fakeUserEvent("user.created", fakeClerkUser({ id, updatedAt }));

/** The claims Clerk's `convex` JWT template puts in the token, as Convex hands them to functions. */
const templateClaims = {
  subject: ADA,
  name: "Ada From Token",
  email: "ada@example.com",
  emailVerified: true,
  pictureUrl: "https://img.clerk.com/token-picture",
};

describe("users.current", () => {
  it("is null when signed out", async () => {
    const t = setupTest();
    expect(await t.query(api.users.current, {})).toBeNull();
  });

  it("is null for a signed-in user who has no row yet", async () => {
    const t = setupTest();
    expect(await t.withIdentity({ subject: ADA }).query(api.users.current, {})).toBeNull();
  });

  it("returns the caller's row with exactly the stored fields", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    const user = await t
      .withIdentity({ subject: ADA, name: "Name From The Token" })
      .query(api.users.current, {});
    expect(user).toMatchObject({ clerkId: ADA, name: "Ada Lovelace", email: "ada@example.com" });
    const stored = await t.run((ctx) => ctx.db.query("users").first());
    expect(user).toEqual({ ...stored, source: "clerk" });
  });

  it("says source 'token' for a row from the caller's token and 'clerk' once a webhook replaced it", async () => {
    const t = setupTest();
    captureLogs();
    const asAda = t.withIdentity(templateClaims);
    await asAda.mutation(api.users.ensureFromToken, {});
    expect((await asAda.query(api.users.current, {}))?.source).toBe("token");
    await deliver(t, created());
    expect((await asAda.query(api.users.current, {}))?.source).toBe("clerk");
  });

  it("never shows one user to another identity", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created(ADA));
    expect(await t.withIdentity({ subject: GRACE }).query(api.users.current, {})).toBeNull();
    await deliver(t, created(GRACE));
    expect((await t.withIdentity({ subject: GRACE }).query(api.users.current, {}))?.clerkId).toBe(GRACE);
    expect((await t.withIdentity({ subject: ADA }).query(api.users.current, {}))?.clerkId).toBe(ADA);
  });

  it("is null again after the user is deleted in Clerk", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    await deliver(t, fakeUserDeletedEvent(ADA));
    expect(await t.withIdentity({ subject: ADA }).query(api.users.current, {})).toBeNull();
  });
});

describe("users.ensureFromToken", () => {
  it("throws NOT_SIGNED_IN when signed out, and writes nothing", async () => {
    const t = setupTest();
    await expect(t.mutation(api.users.ensureFromToken, {})).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 0 });
  });

  it("creates the caller's row from the verified token, at the version any webhook replaces", async () => {
    const t = setupTest();
    const id = await t.withIdentity(templateClaims).mutation(api.users.ensureFromToken, {});
    const user = await userByClerkId(t, ADA);
    expect(user?._id).toBe(id);
    expect(user).toMatchObject({
      clerkId: ADA,
      name: "Ada From Token",
      email: "ada@example.com",
      imageUrl: "https://img.clerk.com/token-picture",
      clerkUpdatedAt: TOKEN_VERSION,
    });
  });

  it("token first, then the webhook: the webhook's version replaces the token's", async () => {
    const t = setupTest();
    captureLogs();
    const id = await t.withIdentity(templateClaims).mutation(api.users.ensureFromToken, {});
    expect(await (await deliver(t, created(ADA, 1_764_000_000_000))).text()).toBe("updated");
    expect(await userByClerkId(t, ADA)).toMatchObject({
      _id: id,
      name: "Ada Lovelace",
      clerkUpdatedAt: 1_764_000_000_000,
    });
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
  });

  it("webhook first, then the token: returns the row and changes nothing", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    const before = await userByClerkId(t, ADA);
    const id = await t.withIdentity(templateClaims).mutation(api.users.ensureFromToken, {});
    expect(id).toBe(before?._id);
    expect(await userByClerkId(t, ADA)).toEqual(before);
  });

  it("called twice, keeps one row and returns its id both times", async () => {
    const t = setupTest();
    const asAda = t.withIdentity(templateClaims);
    const first = await asAda.mutation(api.users.ensureFromToken, {});
    const second = await asAda.mutation(api.users.ensureFromToken, {});
    expect(second).toBe(first);
    expect(await countDocuments(t)).toEqual({ users: 1, deletedUsers: 0 });
  });

  it("after the user was deleted in Clerk, returns null and brings nobody back", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    await deliver(t, fakeUserDeletedEvent(ADA));
    expect(await t.withIdentity(templateClaims).mutation(api.users.ensureFromToken, {})).toBeNull();
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });

  it("does not store an email claim that Clerk has not verified", async () => {
    const t = setupTest();
    await t
      .withIdentity({ subject: ADA, email: "ceo@example.com", emailVerified: false })
      .mutation(api.users.ensureFromToken, {});
    const user = await userByClerkId(t, ADA);
    expect(user).not.toHaveProperty("email");
    expect(user?.name).toBe("Unnamed user");
  });

  it("names a caller whose token has no name claims 'Unnamed user' (Clerk's bare session token)", async () => {
    const t = setupTest();
    await t.withIdentity({ subject: ADA }).mutation(api.users.ensureFromToken, {});
    expect(await userByClerkId(t, ADA)).toMatchObject({
      name: "Unnamed user",
      clerkUpdatedAt: TOKEN_VERSION,
    });
  });
});

describe("who the caller is: the configured Clerk issuer and a plausible subject, else signed out", () => {
  it("treats an identity from another issuer with the same subject as signed out", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    const impostor = t.withIdentity({ subject: ADA, issuer: "https://evil.example.com" });
    expect(await impostor.query(api.users.current, {})).toBeNull();
    await expect(impostor.mutation(api.users.ensureFromToken, {})).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
  });

  it("compares the issuer without a trailing slash, whichever side has one", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", TEST_ISSUER);
    const slashed = t.withIdentity({ subject: ADA, issuer: `${TEST_ISSUER}/` });
    expect((await slashed.query(api.users.current, {}))?.clerkId).toBe(ADA);
  });

  it("treats every identity as signed out while CLERK_JWT_ISSUER_DOMAIN is unset", async () => {
    const t = setupTest();
    captureLogs();
    await deliver(t, created());
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", undefined);
    expect(await t.withIdentity({ subject: ADA }).query(api.users.current, {})).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["100 KB", `user_${"x".repeat(100 * 1024)}`],
    ["65 characters", `user_${"x".repeat(60)}`],
  ])("stores nothing for a %s subject", async (_label, subject) => {
    const t = setupTest();
    await expect(t.withIdentity({ subject }).mutation(api.users.ensureFromToken, {})).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 0 });
  });

  it("accepts a subject of 64 characters", async () => {
    const t = setupTest();
    const subject = `user_${"x".repeat(59)}`;
    expect(await t.withIdentity({ subject }).mutation(api.users.ensureFromToken, {})).not.toBeNull();
  });

  it("stores 'Unnamed user' and no email for name and email claims of \"null\"", async () => {
    const t = setupTest();
    await t
      .withIdentity({
        subject: ADA,
        name: "null",
        email: "null",
        emailVerified: true,
        pictureUrl: "undefined",
      })
      .mutation(api.users.ensureFromToken, {});
    const user = await userByClerkId(t, ADA);
    expect(user?.name).toBe("Unnamed user");
    expect(user).not.toHaveProperty("email");
    expect(user).not.toHaveProperty("imageUrl");
  });
});

describe("getCurrentUserOrThrow", () => {
  it("throws NOT_SIGNED_IN when signed out and NO_USER_ROW before the row exists", async () => {
    const t = setupTest();
    await expect(t.run((ctx) => getCurrentUserOrThrow(ctx))).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
    await expect(
      t.withIdentity({ subject: ADA }).run((ctx) => getCurrentUserOrThrow(ctx)),
    ).rejects.toMatchObject({
      data: { code: "NO_USER_ROW" },
    });
  });
});

describe("upsertFromClerk and deleteFromClerk", () => {
  const ada = (clerkUpdatedAt: number) => ({ clerkId: ADA, name: "Ada Lovelace", clerkUpdatedAt });

  it("apply the ordering rule and keep tombstones when called directly", async () => {
    const t = setupTest();
    expect(await t.mutation(internal.clerk.users.upsertFromClerk, { user: ada(2) })).toBe("created");
    expect(await t.mutation(internal.clerk.users.upsertFromClerk, { user: ada(1) })).toBe("stale");
    expect(await t.mutation(internal.clerk.users.upsertFromClerk, { user: ada(3) })).toBe("updated");
    expect(await t.mutation(internal.clerk.users.deleteFromClerk, { clerkId: ADA })).toBe("deleted");
    expect(await t.mutation(internal.clerk.users.deleteFromClerk, { clerkId: ADA })).toBe("already_deleted");
    expect(await t.mutation(internal.clerk.users.upsertFromClerk, { user: ada(9) })).toBe("deleted_user");
    expect(await countDocuments(t)).toEqual({ users: 0, deletedUsers: 1 });
  });
});

describe("fields your app adds to users", () => {
  // What a developer's schema looks like after adding a field of each kind (named so that no real app
  // field collides with them: a developer's own `plan` or `bio` stays as their schema says).
  const appSchema = schemaWithUserFields({
    kitTestOptional: v.optional(v.string()),
    kitTestRequired: v.string(),
  });

  it("survive a newer user.updated, a token call and a stale event", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", TEST_SECRET);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", TEST_ISSUER);
    const t = convexTest({ schema: appSchema, modules });
    captureLogs();
    await t.run((ctx) =>
      ctx.db.insert("users", {
        ...userRow({ clerkId: ADA, name: "Ada", clerkUpdatedAt: 1_764_000_000_000 }),
        kitTestOptional: "Wrote the first program",
        kitTestRequired: "pro",
      }),
    );
    const update = fakeUserEvent(
      "user.updated",
      fakeClerkUser({ id: ADA, firstName: "Augusta", updatedAt: 1_764_000_000_900 }),
    );
    expect(await (await deliver(t, update)).text()).toBe("updated");
    await t.withIdentity(templateClaims).mutation(api.users.ensureFromToken, {});
    await deliver(t, created(ADA, 1_764_000_000_100));

    const user = await t.run((ctx) => ctx.db.query("users").first());
    expect(user).toMatchObject({
      name: "Augusta Lovelace",
      kitTestOptional: "Wrote the first program",
      kitTestRequired: "pro",
    });
  });
});

describe("syncState (read by pnpm smoke through `convex run`)", () => {
  it("tells a token row from the webhook's, and a deleted user by its tombstone", async () => {
    const t = setupTest();
    expect(await t.query(internal.clerk.users.syncState, { clerkId: ADA })).toEqual({
      row: null,
      tombstoned: false,
    });
    await t.run((ctx) =>
      ctx.db.insert(
        "users",
        userRow({ clerkId: ADA, name: "Ada From Token", clerkUpdatedAt: TOKEN_VERSION }),
      ),
    );
    expect(await t.query(internal.clerk.users.syncState, { clerkId: ADA })).toEqual({
      row: { name: "Ada From Token", source: "token" },
      tombstoned: false,
    });
    await deliver(t, created());
    expect(await t.query(internal.clerk.users.syncState, { clerkId: ADA })).toMatchObject({
      row: { source: "clerk" },
    });
    await deliver(t, fakeUserDeletedEvent(ADA));
    expect(await t.query(internal.clerk.users.syncState, { clerkId: ADA })).toEqual({
      row: null,
      tombstoned: true,
    });
  });
});

describe("a user deleted in Clerk takes their app data along (onUserDeleted)", () => {
  type Json = { type: string; value?: unknown; tableName?: string };
  type Field = { fieldType: Json; optional: boolean };
  type Table = keyof typeof schema.tables;
  // A validator's JSON form (what Convex stores for the schema): public at run time, not in the types.
  const fieldsOf = (table: Table) =>
    (schema.tables[table].validator as unknown as { json: { value: Record<string, Field> } }).json.value;
  /** Your tables that point at a user: a `v.id("users")` field, or a Clerk user id (`clerkUserId`). */
  const userFieldsOf = (table: Table) =>
    Object.entries(fieldsOf(table))
      .filter(([name, { fieldType }]) => fieldType.tableName === "users" || name === "clerkUserId")
      .map(([name]) => name);
  const engineTables = new Set(Object.keys(clerkTables));
  const appTables = (Object.keys(schema.tables) as Table[]).filter(
    (table) => table !== "users" && !engineTables.has(table) && userFieldsOf(table).length > 0,
  );

  /** The smallest value a validator accepts; an id of another table gets a row of its own. */
  async function sample(ctx: MutationCtx, json: Json, owner: Doc<"users">, depth: number): Promise<unknown> {
    switch (json.type) {
      case "id":
        if (json.tableName === "users") return owner._id;
        if (depth > 3)
          throw new Error(`cannot build a row of ${json.tableName}: its ids go round in a circle`);
        return await insertSample(ctx, json.tableName as Table, owner, depth + 1);
      case "object":
        return await sampleRow(ctx, json.value as Record<string, Field>, owner, depth);
      case "union":
        return await sample(ctx, (json.value as Json[])[0] as Json, owner, depth);
      case "literal":
        return json.value;
      case "string":
        return "";
      case "number":
        return 0;
      case "int64":
        return 0n;
      case "boolean":
        return false;
      case "bytes":
        return new ArrayBuffer(0);
      case "array":
        return [];
      case "record":
        return {};
      default:
        return null;
    }
  }
  async function sampleRow(
    ctx: MutationCtx,
    fields: Record<string, Field>,
    owner: Doc<"users">,
    depth: number,
  ) {
    const row: Record<string, unknown> = {};
    for (const [name, { fieldType, optional }] of Object.entries(fields)) {
      if (!optional)
        row[name] = name === "clerkUserId" ? owner.clerkId : await sample(ctx, fieldType, owner, depth);
    }
    return row;
  }
  async function insertSample(ctx: MutationCtx, table: Table, owner: Doc<"users">, depth = 0) {
    const row = await sampleRow(ctx, fieldsOf(table), owner, depth);
    return await ctx.db.insert(table, row as never);
  }

  it.each(appTables.length > 0 ? appTables : ["(no table of yours refers to users)"])(
    "%s keeps none of a deleted user's rows, and all of everyone else's",
    async (name) => {
      if (!appTables.includes(name as Table)) return;
      const table = name as Table;
      vi.useFakeTimers();
      const t = setupTest();
      captureLogs();
      await deliver(t, created(ADA));
      await deliver(t, created(GRACE));
      const owners = await t.run(async (ctx) => {
        const rows = await ctx.db.query("users").collect();
        for (const owner of rows) await insertSample(ctx, table, owner);
        return rows;
      });
      const rowsOf = (owner: Doc<"users">) =>
        t.run(async (ctx) => {
          const rows = (await ctx.db.query(table).collect()) as Record<string, unknown>[];
          const refersTo = (value: unknown) => value === owner._id || value === owner.clerkId;
          return rows.filter((row) => userFieldsOf(table).some((field) => refersTo(row[field]))).length;
        });
      const [ada, grace] = [ADA, GRACE].map((id) => owners.find((owner) => owner.clerkId === id));
      if (ada === undefined || grace === undefined) throw new Error("the webhook did not create both users");

      await deliver(t, fakeUserDeletedEvent(ADA));
      await t.finishAllScheduledFunctions(vi.runAllTimers);
      expect(
        await rowsOf(ada),
        `${table} refers to users, but a user deleted in Clerk keeps their rows there. Add a line for it to ` +
          "onUserDeleted in convex/users.ts (README → Add a table that refers to users).",
      ).toBe(0);
      expect(await rowsOf(grace)).toBe(1);
      vi.useRealTimers();
    },
  );
});
