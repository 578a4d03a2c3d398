// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { productionBuildValue } from "./env-file.ts";
import { closedPort, runScript } from "./offline.testkit.ts";

const liveKey = `pk_live_${Buffer.from("clerk.example.com$").toString("base64")}`;
const testKey = `pk_test_${Buffer.from("happy-otter-12.clerk.accounts.dev$").toString("base64")}`;

describe("pnpm deploy:prod", () => {
  it("refuses to build production with a development key (pk_test_) and says where the pk_live_ key goes", async () => {
    const run = await runScript("scripts/deploy-prod.ts", ["--dry-run"], {
      VITE_CLERK_PUBLISHABLE_KEY: testKey,
      CONVEX_DEPLOYMENT: undefined,
      CONVEX_DEPLOY_KEY: undefined,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("development Clerk key (pk_test_, from the environment)");
    expect(run.stderr).toContain("apps/web/.env.production.local");
    expect(run.stderr).toContain("--allow-test-key");
  });

  it("offline, says within 5 s which host it could not reach, and exits 1", { timeout: 20_000 }, async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("scripts/deploy-prod.ts", ["--dry-run"], {
      VITE_CLERK_PUBLISHABLE_KEY: liveKey,
      CONVEX_DEPLOYMENT: "dev:happy-animal-123",
      CONVEX_DEPLOY_KEY: undefined,
      CONVEX_PROVISION_HOST: host,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach ${host}`);
    expect(run.ms).toBeLessThan(5_000);
  });
});

describe("the key a production build reads", () => {
  it("follows vite build's order: the environment, then .env.production.local before .env.local", () => {
    const dir = mkdtempSync(join(tmpdir(), "web-"));
    try {
      const app = pathToFileURL(`${dir}/`);
      writeFileSync(join(dir, ".env.local"), `VITE_CLERK_PUBLISHABLE_KEY=${testKey}\n`);
      expect(productionBuildValue(app, "VITE_CLERK_PUBLISHABLE_KEY", {})).toEqual({
        value: testKey,
        source: ".env.local",
      });
      writeFileSync(join(dir, ".env.production.local"), `VITE_CLERK_PUBLISHABLE_KEY=${liveKey}\n`);
      expect(productionBuildValue(app, "VITE_CLERK_PUBLISHABLE_KEY", {})?.source).toBe(
        ".env.production.local",
      );
      const env = { VITE_CLERK_PUBLISHABLE_KEY: "pk_live_fromhost" };
      expect(productionBuildValue(app, "VITE_CLERK_PUBLISHABLE_KEY", env)?.source).toBe("the environment");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
