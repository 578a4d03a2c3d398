/**
 * Two checks over every deployed module: each loads with no environment variables set (Convex evaluates
 * them on deploy, before anyone has set up Clerk), and no public function but users.ensureFromToken can
 * write `users` or `deletedUsers` (and none the organization tables), whatever arguments it is given and
 * whoever calls it.
 */
import { type DefaultFunctionArgs, makeFunctionReference } from "convex/server";
import { v } from "convex/values";
import { convexTest } from "convex-test";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { internal } from "./_generated/api";
import { action, mutation } from "./_generated/server";
import { fakeClerkId } from "./clerk.fixtures";
import { getCurrentUser } from "./functions";
import schema from "./schema";
import { modules, TEST_ISSUER, TEST_SECRET, userRow, withComponents } from "./webhook.testkit";

type Modules = Record<string, () => Promise<unknown>>;

/** What Convex deploys: it skips any file with two dots (tests, test kits, fixtures, .d.ts) but auth.config.ts. */
function deployed(all: Modules): [string, () => Promise<unknown>][] {
  return Object.entries(all).filter(
    ([path]) => path === "./auth.config.ts" || !/\/[^/]*\.[^/]*\.ts$/.test(path),
  );
}

describe("module load with no environment variables set", () => {
  beforeEach(() => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", undefined);
    vi.stubEnv("CLERK_SECRET_KEY", undefined);
    vi.resetModules();
  });

  it("finds the modules it checks", () => {
    expect(deployed(modules).map(([path]) => path)).toEqual(
      expect.arrayContaining(["./auth.config.ts", "./crons.ts", "./http.ts", "./schema.ts", "./users.ts"]),
    );
  });

  it.each(deployed(modules))("imports %s without throwing", async (_path, load) => {
    await expect(load()).resolves.toBeDefined();
  });

  it("auth.config.ts trusts exactly the Clerk instance CLERK_JWT_ISSUER_DOMAIN names, for Convex tokens", async () => {
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", "https://verb-noun-42.clerk.accounts.dev");
    vi.resetModules();
    expect((await import("./auth.config")).default.providers).toEqual([
      { domain: "https://verb-noun-42.clerk.accounts.dev", applicationID: "convex" },
    ]);
  });
});

/** The one public function allowed to write `users`: it creates only the caller's own missing row. */
const ALLOWED_WRITERS = ["users:ensureFromToken"];

/** What a developer whose new public function writes `users` (a `setBio`, say) should read, and do. */
function expectNoOtherWriters(offenders: string[]): void {
  expect(
    offenders,
    `${offenders.join(", ")} changed users, deletedUsers or an organization table. Read README → "Who may write users": ` +
      "data users edit about themselves (a bio) belongs in its own table keyed by their user id; a public mutation " +
      "that writes an app field on users must touch only that field, then add its name to ALLOWED_WRITERS in convex/modules.test.ts.",
  ).toEqual([]);
}

type FunctionFlags = {
  isPublic?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  exportArgs?: () => string;
};
type PublicWriter = { name: string; kind: "mutation" | "action"; args: ValidatorJson };
type ValidatorJson = { type: string; value?: unknown; tableName?: string; keys?: unknown; values?: unknown };

/** Every public mutation and action, as `module:export` with its argument validator. */
async function publicWriters(all: Modules): Promise<PublicWriter[]> {
  const found: PublicWriter[] = [];
  for (const [path, load] of deployed(all)) {
    const module = path.replace(/^\.\//, "").replace(/\.ts$/, "");
    for (const [name, fn] of Object.entries((await load()) as Record<string, FunctionFlags | null>)) {
      // `typeof`: a component reference (components.ts) is a proxy that answers every property.
      if (!fn?.isPublic || !(fn.isMutation || fn.isAction) || typeof fn.exportArgs !== "function") continue;
      found.push({
        name: `${module}:${name}`,
        kind: fn.isMutation ? "mutation" : "action",
        args: JSON.parse(fn.exportArgs()),
      });
    }
  }
  return found;
}

/** Arguments that pass the function's own validator; `v.id` fields get real ids, so writes can happen. */
function argsFor(validator: ValidatorJson, ids: Record<string, string>): fc.Arbitrary<unknown> {
  switch (validator.type) {
    case "string":
      return fc.oneof(fc.string(), fc.constantFrom(...Object.values(ids)));
    case "number":
      return fc.oneof(fc.integer(), fc.double({ noNaN: true }));
    case "bigint":
      return fc.bigInt();
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "any":
      return fc.jsonValue();
    case "literal":
      return fc.constant(validator.value);
    case "id":
      return fc.constant(ids[validator.tableName ?? ""] ?? "");
    case "array":
      return fc.array(argsFor(validator.value as ValidatorJson, ids), { maxLength: 3 });
    case "union":
      return fc.oneof(...(validator.value as ValidatorJson[]).map((member) => argsFor(member, ids)));
    case "record":
      return fc.dictionary(
        fc.string({ minLength: 1 }),
        argsFor((validator.values as { fieldType: ValidatorJson }).fieldType, ids),
        { maxKeys: 3 },
      );
    case "object": {
      const fields = validator.value as Record<string, { fieldType: ValidatorJson; optional: boolean }>;
      const shape = Object.fromEntries(
        Object.entries(fields).map(([key, field]) => [key, argsFor(field.fieldType, ids)]),
      );
      const required = Object.entries(fields)
        .filter(([, field]) => !field.optional)
        .map(([key]) => key);
      return fc.record(shape, { requiredKeys: required });
    }
    default:
      throw new Error(`argsFor: no generator for validator type ${validator.type}`);
  }
}

const ADA = fakeClerkId("user", "surface-ada");
const GONE = fakeClerkId("user", "surface-gone");
const NEW = fakeClerkId("user", "surface-new");
/** Signed out; a user with a row; a user Clerk deleted; a signed-in user without a row yet. */
const callers = [undefined, ADA, GONE, NEW];

/** The public functions, other than the allowed one, that changed `users` or `deletedUsers` when called. */
async function protectedTableWriters(all: Modules): Promise<string[]> {
  const offenders: string[] = [];
  for (const fn of await publicWriters(all)) {
    if (ALLOWED_WRITERS.includes(fn.name)) continue;
    const t = withComponents(convexTest({ schema, modules: all }));
    const ids = await t.run(async (ctx) => {
      const user = await ctx.db.insert(
        "users",
        userRow({ clerkId: ADA, name: "Ada", clerkUpdatedAt: 1_764_000_000_000 }),
      );
      await ctx.db.insert("deletedUsers", { clerkId: GONE, deletedAt: 1_764_000_000_000 });
      const ids: Record<string, string> = { users: user, clerkId: ADA };
      // A real message of the caller's, so that functions taking a message id (messages.remove) act on it.
      // Looked up by name: README → What you can delete → The example takes the table away.
      if ("messages" in schema.tables) {
        const db = ctx.db as unknown as { insert(table: string, doc: object): Promise<string> };
        ids.messages = await db.insert("messages", { authorId: user, body: "hello" });
      }
      return ids;
    });
    const snapshot = () =>
      t.run(async (ctx) => ({
        users: await ctx.db.query("users").collect(),
        deletedUsers: await ctx.db.query("deletedUsers").collect(),
        // Who belongs to which organization is Clerk's to say, through the webhook alone.
        organizations: await ctx.db.query("organizations").collect(),
        memberships: await ctx.db.query("memberships").collect(),
        deletedOrganizations: await ctx.db.query("deletedOrganizations").collect(),
        deletedMemberships: await ctx.db.query("deletedMemberships").collect(),
      }));
    const before = await snapshot();
    try {
      await fc.assert(
        fc.asyncProperty(argsFor(fn.args, ids), fc.constantFrom(...callers), async (args, caller) => {
          const as = caller === undefined ? t : t.withIdentity({ subject: caller, name: "Caller" });
          try {
            const fnArgs = args as DefaultFunctionArgs;
            if (fn.kind === "mutation") await as.mutation(makeFunctionReference<"mutation">(fn.name), fnArgs);
            else await as.action(makeFunctionReference<"action">(fn.name), fnArgs);
          } catch {
            // Refusing is fine; a thrown mutation writes nothing.
          }
          await t.finishAllScheduledFunctions(vi.runAllTimers);
          expect(await snapshot()).toEqual(before);
        }),
        { numRuns: 25, seed: 20_261_128 },
      );
    } catch {
      offenders.push(fn.name);
    }
  }
  return offenders;
}

describe("who may write users and deletedUsers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", TEST_SECRET);
    // The callers below count as signed in only with their issuer configured (see functions.ts).
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", TEST_ISSUER);
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("no public mutation or action but users.ensureFromToken writes them, whatever the args or caller", async () => {
    // It looks at the real functions (a feature's own mutations, like messages.send, are among them).
    const example = "./messages.ts" in modules ? ["messages:send", "messages:remove"] : [];
    expect((await publicWriters(modules)).map((fn) => fn.name)).toEqual(
      expect.arrayContaining(["users:ensureFromToken", ...example]),
    );
    expectNoOtherWriters(await protectedTableWriters(modules));
  });

  it("tells whoever adds a public mutation that writes users where to read and what to change", () => {
    expect(() => expectNoOtherWriters(["profile:setBio"])).toThrow(
      /profile:setBio changed users.*README → "Who may write users".*ALLOWED_WRITERS/,
    );
  });

  it("catches a planted public mutation that renames the caller, and one that schedules a deletion", async () => {
    const planted = {
      ...modules,
      "./planted.ts": async () => ({
        rename: mutation({
          args: { name: v.string() },
          handler: async (ctx, { name }) => {
            const user = await getCurrentUser(ctx);
            if (user !== null) await ctx.db.patch("users", user._id, { name });
          },
        }),
        forget: mutation({
          args: { clerkId: v.string() },
          handler: async (ctx, { clerkId }) => {
            await ctx.scheduler.runAfter(0, internal.clerk.users.deleteFromClerk, { clerkId });
          },
        }),
      }),
    };
    expect(await protectedTableWriters(planted)).toEqual(["planted:rename", "planted:forget"]);
  });

  it("catches a planted public action that writes through an internal mutation", async () => {
    const planted = {
      ...modules,
      "./planted.ts": async () => ({
        upsert: action({
          args: { name: v.string() },
          handler: async (ctx, { name }) => {
            await ctx.runMutation(internal.clerk.users.upsertFromClerk, {
              user: { clerkId: ADA, name, clerkUpdatedAt: Date.now() },
            });
          },
        }),
      }),
    };
    expect(await protectedTableWriters(planted)).toEqual(["planted:upsert"]);
  });
});
