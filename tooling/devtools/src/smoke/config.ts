/**
 * Where `pnpm smoke` finds its values: the same files and deployment env as `pnpm setup:check`, with the
 * process env on top (CI has no .env.local files: it exports the values and a CONVEX_DEPLOY_KEY). Pure apart
 * from the deployment-env reader it is given, so the "not configured" answers are testable offline.
 */

import { withDeploymentUrls } from "@repo/backend/scripts/convex-cli.ts";
import type { EnvFile } from "@repo/backend/scripts/env-file.ts";
import { parsePublishableKey, webhookUrl } from "@repo/shared/config";
import type { DeploymentEnv, DoctorInputs } from "../setup-check/checks.ts";
import { isLocalDeployment, siteUrlOf } from "../setup-check/checks.ts";
import { DEFAULT_CLERK_API_URL } from "./clerk-api.ts";

export type SmokeConfig = {
  publishableKey: string;
  frontendApiHost: string;
  convexUrl: string;
  webhookUrl: string;
  secretKey: string;
  /** The issuer the deployment trusts (CLERK_JWT_ISSUER_DOMAIN), for the step-4 hint. */
  issuer: string | undefined;
  clerkApiUrl: string;
  /** Set only for the legacy "convex" JWT template; the Convex integration needs none. */
  jwtTemplate: string | undefined;
  /** What `setup:check`'s checks are run on. */
  doctorInputs: DoctorInputs;
};

type Resolved = { ok: true; config: SmokeConfig } | { ok: false; exitCode: 2; message: string };

export type ConfigSources = {
  processEnv: Record<string, string | undefined>;
  /** apps/web/.env.local, undefined when the file does not exist. */
  webEnv: EnvFile | undefined;
  /** packages/backend/.env.local ({} when missing). */
  backendEnv: EnvFile;
  readDeploymentEnv: () => Promise<DeploymentEnv>;
  allowLive: boolean;
  nodeVersion: string;
};

function pick(env: Record<string, string | undefined>, names: string[]): EnvFile {
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/** `dev:happy-otter-123|…` (a deploy key) → `dev:happy-otter-123`, the shape CONVEX_DEPLOYMENT has. */
function deploymentFromDeployKey(key: string | undefined): string | undefined {
  const head = key?.split("|")[0];
  return head?.includes(":") ? head : undefined;
}

const notConfigured = (message: string): Resolved => ({
  ok: false,
  exitCode: 2,
  message: `not configured: ${message}`,
});

export async function resolveConfig(sources: ConfigSources): Promise<Resolved> {
  const env = sources.processEnv;
  const webEnv = { ...sources.webEnv, ...pick(env, ["VITE_CONVEX_URL", "VITE_CLERK_PUBLISHABLE_KEY"]) };
  const backendEnv = withDeploymentUrls({
    ...sources.backendEnv,
    ...pick(env, ["CONVEX_DEPLOYMENT", "CONVEX_URL", "CONVEX_SITE_URL"]),
  });
  const fromKey = deploymentFromDeployKey(env.CONVEX_DEPLOY_KEY);
  if (!backendEnv.CONVEX_DEPLOYMENT && fromKey) backendEnv.CONVEX_DEPLOYMENT = fromKey;

  const missing: string[] = [];
  const publishableKey = webEnv.VITE_CLERK_PUBLISHABLE_KEY;
  if (!publishableKey) missing.push("VITE_CLERK_PUBLISHABLE_KEY (apps/web/.env.local or the environment)");
  const convexUrl = webEnv.VITE_CONVEX_URL ?? backendEnv.CONVEX_URL;
  if (!convexUrl) missing.push("VITE_CONVEX_URL (`pnpm setup:convex` writes it)");
  if (!backendEnv.CONVEX_DEPLOYMENT && !env.CONVEX_DEPLOY_KEY) {
    missing.push("a Convex deployment (`pnpm setup:convex`, or CONVEX_DEPLOY_KEY in CI)");
  }
  if (missing.length > 0)
    return notConfigured(`${missing.join("; ")}. Run \`pnpm setup:check\` for the steps.`);

  if (isLocalDeployment({ target: "development", backendEnv, webEnv })) {
    return notConfigured("smoke needs a cloud development deployment that Clerk's webhooks can reach");
  }

  const key = parsePublishableKey(publishableKey ?? "");
  if (!key.ok) return notConfigured(`VITE_CLERK_PUBLISHABLE_KEY: ${key.error}`);

  const deploymentEnv = await sources.readDeploymentEnv();
  const deploymentVars = deploymentEnv.ok ? deploymentEnv.vars : {};
  const secretKey = env.CLERK_SECRET_KEY || deploymentVars.CLERK_SECRET_KEY;
  if (!secretKey) {
    const unread = deploymentEnv.ok
      ? ""
      : ` (the deployment's env could not be read: ${deploymentEnv.reason})`;
    return notConfigured(
      `CLERK_SECRET_KEY${unread}: export it for this command, or \`pnpm convex env set CLERK_SECRET_KEY sk_test_…\` (Clerk dashboard → API keys)`,
    );
  }
  if (secretKey.startsWith("sk_live_") && !sources.allowLive) {
    return notConfigured(
      "CLERK_SECRET_KEY is a production key (sk_live_); smoke creates and deletes a user, so it runs on production only with --allow-live",
    );
  }

  const doctorInputs: DoctorInputs = {
    nodeVersion: sources.nodeVersion,
    nodeRequired: ">=0",
    pnpmVersion: undefined,
    packageManager: "pnpm",
    webEnv,
    backendEnv,
    deploymentEnv,
    // Smoke creates and deletes a user: it checks the development setup (production needs --allow-live).
    target: "development",
  };
  const siteUrl = siteUrlOf(doctorInputs);
  if (siteUrl === undefined) {
    return notConfigured(
      "CONVEX_SITE_URL: where the deployment serves HTTP actions (needed for a self-hosted URL)",
    );
  }
  return {
    ok: true,
    config: {
      publishableKey: publishableKey ?? "",
      frontendApiHost: key.value.frontendApiHost,
      convexUrl: convexUrl ?? "",
      webhookUrl: webhookUrl(siteUrl),
      secretKey,
      issuer: deploymentVars.CLERK_JWT_ISSUER_DOMAIN,
      clerkApiUrl: env.CLERK_API_URL || DEFAULT_CLERK_API_URL,
      jwtTemplate: env.CLERK_JWT_TEMPLATE || undefined,
      doctorInputs,
    },
  };
}
