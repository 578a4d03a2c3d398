// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { DeploymentEnv } from "../setup-check/checks.ts";
import { type ConfigSources, resolveConfig } from "./config.ts";

const host = "happy-otter-12.clerk.accounts.dev";
const publishableKey = `pk_test_${Buffer.from(`${host}$`).toString("base64")}`;
const deploymentVars = {
  CLERK_JWT_ISSUER_DOMAIN: `https://${host}`,
  CLERK_SECRET_KEY: "sk_test_fromdeployment",
};

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return {
    processEnv: {},
    webEnv: {
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
    },
    backendEnv: { CONVEX_DEPLOYMENT: "dev:happy-animal-123" },
    readDeploymentEnv: async (): Promise<DeploymentEnv> => ({ ok: true, vars: deploymentVars }),
    allowLive: false,
    nodeVersion: "24.0.0",
    ...overrides,
  };
}

describe("where pnpm smoke finds its values", () => {
  it("reads the same files and deployment env as setup:check, the secret key from the deployment", async () => {
    const resolved = await resolveConfig(sources());
    expect(resolved.ok && resolved.config).toMatchObject({
      frontendApiHost: host,
      convexUrl: "https://happy-animal-123.convex.cloud",
      webhookUrl: "https://happy-animal-123.convex.site/clerk-users-webhook",
      secretKey: "sk_test_fromdeployment",
      issuer: `https://${host}`,
      clerkApiUrl: "https://api.clerk.com/v1",
      jwtTemplate: undefined,
    });
  });

  it("finds the deployment's URLs under the names `convex dev` writes (VITE_CONVEX_URL, VITE_CONVEX_SITE_URL)", async () => {
    const resolved = await resolveConfig(
      sources({
        webEnv: { VITE_CLERK_PUBLISHABLE_KEY: publishableKey },
        backendEnv: {
          CONVEX_DEPLOYMENT: "dev:happy-animal-123",
          VITE_CONVEX_URL: "https://convex.example.com",
          VITE_CONVEX_SITE_URL: "https://site.example.com",
        },
      }),
    );
    expect(resolved.ok && resolved.config).toMatchObject({
      convexUrl: "https://convex.example.com",
      webhookUrl: "https://site.example.com/clerk-users-webhook",
    });
  });

  it("runs in CI from the environment alone: values exported, the deployment named by its deploy key", async () => {
    const resolved = await resolveConfig(
      sources({
        processEnv: {
          VITE_CONVEX_URL: "https://ci-deployment-7.convex.cloud",
          VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
          CLERK_SECRET_KEY: "sk_test_fromenv",
          CONVEX_DEPLOY_KEY: "dev:ci-deployment-7|secretpart",
        },
        webEnv: undefined,
        backendEnv: {},
      }),
    );
    expect(resolved.ok && resolved.config.secretKey).toBe("sk_test_fromenv");
    expect(resolved.ok && resolved.config.doctorInputs.backendEnv.CONVEX_DEPLOYMENT).toBe(
      "dev:ci-deployment-7",
    );
    expect(resolved.ok && resolved.config.webhookUrl).toBe(
      "https://ci-deployment-7.convex.site/clerk-users-webhook",
    );
  });

  it.each([
    [
      "the publishable key",
      { webEnv: { VITE_CONVEX_URL: "https://a-b-1.convex.cloud" } },
      "VITE_CLERK_PUBLISHABLE_KEY",
    ],
    ["the Convex URL", { webEnv: { VITE_CLERK_PUBLISHABLE_KEY: publishableKey } }, "VITE_CONVEX_URL"],
    ["a deployment", { backendEnv: {} }, "a Convex deployment"],
    [
      "the secret key",
      { readDeploymentEnv: async (): Promise<DeploymentEnv> => ({ ok: true, vars: {} }) },
      "CLERK_SECRET_KEY: export it",
    ],
  ])("exits 2 with one 'not configured' line when %s is missing", async (_, overrides, named) => {
    const resolved = await resolveConfig(sources(overrides as Partial<ConfigSources>));
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.exitCode).toBe(2);
    expect(resolved.message).toMatch(/^not configured: /);
    expect(resolved.message).toContain(named);
    expect(resolved.message).not.toContain("\n");
  });

  it.each([
    ["an anonymous deployment", { CONVEX_DEPLOYMENT: "anonymous:anonymous-starter" }, undefined],
    ["a local deployment", { CONVEX_DEPLOYMENT: "local:local-starter" }, undefined],
    ["a 127.0.0.1 URL", { CONVEX_DEPLOYMENT: "dev:x" }, "http://127.0.0.1:3210"],
  ])("exits 2 on %s, which Clerk's webhooks cannot reach", async (_, backendEnv, url) => {
    const webEnv = {
      VITE_CONVEX_URL: url ?? "http://127.0.0.1:3210",
      VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
    };
    const resolved = await resolveConfig(sources({ backendEnv, ...(url === undefined ? {} : { webEnv }) }));
    expect(resolved).toEqual({
      ok: false,
      exitCode: 2,
      message: "not configured: smoke needs a cloud development deployment that Clerk's webhooks can reach",
    });
  });

  it("says why the deployment's env could not be read when the secret key was to come from it", async () => {
    const resolved = await resolveConfig(
      sources({ readDeploymentEnv: async () => ({ ok: false, reason: "not logged in" }) }),
    );
    expect(!resolved.ok && resolved.message).toContain("could not be read: not logged in");
  });

  it("refuses a production secret key (sk_live_) unless --allow-live", async () => {
    const live = { processEnv: { CLERK_SECRET_KEY: "sk_live_abc" } };
    const refused = await resolveConfig(sources(live));
    expect(!refused.ok && refused.message).toContain("--allow-live");
    expect(!refused.ok && refused.exitCode).toBe(2);
    const allowed = await resolveConfig(sources({ ...live, allowLive: true }));
    expect(allowed.ok && allowed.config.secretKey).toBe("sk_live_abc");
  });
});
