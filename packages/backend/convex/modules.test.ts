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
