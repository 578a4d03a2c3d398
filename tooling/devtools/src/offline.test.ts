// @vitest-environment node
/**
 * The tools that need the network, offline: each asks the host it needs first and, within 5 s, says which one
 * it could not reach, with its documented exit code. A closed port on 127.0.0.1 stands in for the network;
 * without the probe, the Convex CLI behind them retries for about 36 s before it says "fetch failed".
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { closedPort, runScript } from "@repo/backend/scripts/offline.testkit.ts";
import { describe, expect, it } from "vitest";

const devtoolsDir = new URL("../", import.meta.url);
const frontendApiHost = "happy-otter-12.clerk.accounts.dev";
const publishableKey = `pk_test_${Buffer.from(`${frontendApiHost}$`).toString("base64")}`;

/** A logged-in cloud development deployment whose Convex API (and Clerk's, for smoke) is `host`. */
const cloud = (host: string): NodeJS.ProcessEnv => ({
  CONVEX_DEPLOYMENT: "dev:happy-animal-123",
  CONVEX_DEPLOY_KEY: undefined,
  CONVEX_SELF_HOSTED_URL: undefined,
  CONVEX_PROVISION_HOST: host,
  VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
  VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
});

describe("offline, within 5 s", () => {
  it("pnpm sync:clerk names the Convex host it could not reach and exits 1", {
    timeout: 20_000,
  }, async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("src/sync-clerk.ts", ["--dry-run"], cloud(host), devtoolsDir);
    expect(run.stderr).toContain(`sync:clerk: cannot reach ${host}`);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(5_000);
  });

  it("pnpm smoke exits 1 (not 2, not configured) naming the Convex host", { timeout: 20_000 }, async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("src/smoke.ts", [], cloud(host), devtoolsDir);
    expect(run.stderr).toContain(`smoke: cannot reach ${host}`);
    expect(run.stderr).not.toContain("not configured");
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(5_000);
  });

  it("pnpm smoke exits 1 naming Clerk's API when only Clerk is out of reach", {
    timeout: 20_000,
  }, async () => {
    // Convex's API answers (404 to everything, at once); Clerk's does not.
    const convexApi = createServer((_, response) => response.writeHead(404).end()).listen(0, "127.0.0.1");
    await once(convexApi, "listening");
    try {
      const { port } = convexApi.address() as AddressInfo;
      const clerk = `http://127.0.0.1:${await closedPort()}`;
      const env = {
        ...cloud(`http://127.0.0.1:${port}`),
        CLERK_SECRET_KEY: "sk_test_x",
        CLERK_API_URL: clerk,
      };
      const run = await runScript("src/smoke.ts", [], env, devtoolsDir);
      expect(run.stderr).toContain(`cannot reach Clerk's Backend API at ${clerk}`);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(5_000);
    } finally {
      convexApi.close();
    }
  });

  it("pnpm setup:check says it cannot reach Convex's API for a cloud deployment, and exits 1", {
    timeout: 20_000,
  }, async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("src/setup-check.ts", [], cloud(host), devtoolsDir);
    expect(run.stdout).toContain(`could not read the deployment's env (cannot reach ${host}`);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(5_000);
  });

  it("pnpm setup:check --prod names the host the production check needs (Convex's API), not the dev deployment", {
    timeout: 20_000,
  }, async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("src/setup-check.ts", ["--prod"], cloud(host), devtoolsDir);
    expect(run.stdout).toContain(`could not read the deployment's env (cannot reach ${host}`);
    expect(run.stdout).not.toContain("happy-animal-123");
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(5_000);
  });
});
