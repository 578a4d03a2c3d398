/** Convex evaluates every module on deploy, before anyone has set the Clerk variables: none may throw. */
import { beforeEach, describe, expect, it, vi } from "vitest";

// Every deployed module: not the tests and test kits (Convex skips those for their extra dot), nor the
// generated type declarations.
const convexModules = Object.entries(import.meta.glob("./**/*.ts")).filter(
  ([path]) => !/\.(test|testkit|d)\.ts$/.test(path),
);

describe("module load with no environment variables set", () => {
  beforeEach(() => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", undefined);
    vi.stubEnv("CLERK_SECRET_KEY", undefined);
    vi.resetModules();
  });

  it("finds the modules it checks", () => {
    expect(convexModules.map(([path]) => path)).toEqual(
      expect.arrayContaining(["./auth.config.ts", "./crons.ts", "./http.ts", "./schema.ts", "./users.ts"]),
    );
  });

  it.each(convexModules)("imports %s without throwing", async (_path, load) => {
    await expect(load()).resolves.toBeDefined();
  });

  it("auth.config.ts has no provider until CLERK_JWT_ISSUER_DOMAIN is set, then exactly Clerk's", async () => {
    const unset = (await import("./auth.config")).default;
    expect(unset.providers).toEqual([]);

    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", "https://verb-noun-42.clerk.accounts.dev");
    vi.resetModules();
    const set = (await import("./auth.config")).default;
    expect(set.providers).toEqual([
      { domain: "https://verb-noun-42.clerk.accounts.dev", applicationID: "convex" },
    ]);
  });
});

type FunctionFlags = { isPublic?: boolean; isQuery?: boolean; isMutation?: boolean; isAction?: boolean };

/** Every function a browser could call, as `path:name` with its kind. */
async function publicFunctions(): Promise<{ id: string; kind: "query" | "mutation" | "action" }[]> {
  const found: { id: string; kind: "query" | "mutation" | "action" }[] = [];
  for (const [path, load] of convexModules) {
    for (const [name, value] of Object.entries((await load()) as Record<string, FunctionFlags | null>)) {
      if (!value?.isPublic) continue;
      const kind = value.isQuery
        ? "query"
        : value.isMutation
          ? "mutation"
          : value.isAction
            ? "action"
            : undefined;
      if (kind) found.push({ id: `${path}:${name}`, kind });
    }
  }
  return found;
}

describe("who may call what", () => {
  it("exposes no public mutation or action, so only the verified webhook path writes users", async () => {
    expect((await publicFunctions()).filter(({ kind }) => kind !== "query")).toEqual([]);
  });

  it("exposes exactly the two read-only queries the web app uses", async () => {
    const queries = (await publicFunctions()).map(({ id }) => id).sort();
    expect(queries).toEqual(["./setup.ts:status", "./users.ts:current"]);
  });
});
