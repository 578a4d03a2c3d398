/**
 * The checks behind `pnpm setup:check`, as pure functions of what the CLI gathered (versions, env files, the
 * deployment's env). Nothing here touches the disk or the network, so every verdict is testable offline.
 */

import type { EnvFile } from "@repo/backend/scripts/env-file.ts";
import {
  type ClerkInstance,
  convexSiteUrl,
  type PublishableKey,
  parseConvexUrl,
  parsePublishableKey,
  parseWebhookSecret,
  webhookUrl,
} from "@repo/shared/config";
import { satisfiesMinimum } from "./versions.ts";

export type CheckStatus = "ok" | "problem" | "skipped";

export type CheckResult = {
  status: CheckStatus;
  label: string;
  detail: string;
  /** The exact thing to do, for a problem (or for a check that could not run). */
  fix?: string;
};

/** What `convex env list` gave: the variables, or why it could not be read (offline, not logged in). */
export type DeploymentEnv = { ok: true; vars: EnvFile } | { ok: false; reason: string };

export type DoctorInputs = {
  /** `pnpm setup:check` checks the development setup; `--prod` the production one. */
  target: "development" | "production";
  nodeVersion: string;
  /** `engines.node` from the root package.json, e.g. `>=22.12`. */
  nodeRequired: string;
  /** undefined when pnpm's version could not be found out. */
  pnpmVersion: string | undefined;
  /** `packageManager` from the root package.json, e.g. `pnpm@12.4.2`. */
  packageManager: string;
  /**
   * Development: apps/web/.env.local, undefined when it does not exist. Production: what `vite build` reads,
   * in Vite's order (the environment, .env.production.local, .env.production, .env.local, .env).
   */
  webEnv: EnvFile | undefined;
  /** Production only: where the build's VITE_CLERK_PUBLISHABLE_KEY comes from, for the messages. */
  webKeySource?: string;
  /** CONVEX_DEPLOY_KEY from the environment, as a host's build sets it for `pnpm deploy:prod`. */
  deployKey?: string | undefined;
  /** Production only: the deployment's own CONVEX_SITE_URL, when it could be asked. */
  productionSiteUrl?: string | undefined;
  /** packages/backend/.env.local; an empty object when it does not exist. */
  backendEnv: EnvFile;
  /** undefined when no deployment is configured, so there was nothing to ask. */
  deploymentEnv: DeploymentEnv | undefined;
  /**
   * Which deployment each URL serves (its `GET /instance_name`), asked only when VITE_CONVEX_URL and the CLI's
   * URL differ: a custom domain and the .convex.cloud URL of one deployment name the same instance.
   */
  instanceNames?: { web: string | undefined; backend: string | undefined };
};

const ok = (label: string, detail: string): CheckResult => ({ status: "ok", label, detail });
const problem = (label: string, detail: string, fix: string): CheckResult => ({
  status: "problem",
  label,
  detail,
  fix,
});
const skipped = (label: string, detail: string, fix?: string): CheckResult => ({
  status: "skipped",
  label,
  detail,
  ...(fix === undefined ? {} : { fix }),
});

const webEnvPath = "apps/web/.env.local";

/** Clerk's secret keys, Svix signing secrets, and any long base64 run: what must never reach the terminal. */
const secretPattern = /\b(?:sk|rk)_(?:live|test)_\w+|\bwhsec_[\w+/=]+|[A-Za-z0-9+/_-]{40,}={0,2}/g;

export const looksLikeSecret = (value: string): boolean => new RegExp(secretPattern.source).test(value);

/** The text with every secret-looking run replaced: the report's last guard, whatever a check quotes. */
export const withoutSecrets = (text: string): string => text.replace(secretPattern, "(a secret, not shown)");

/** A secret pasted into a variable that is printed (a URL, the issuer): name the variable, never the value. */
function secretIn(label: string, where: string): CheckResult {
  return problem(
    label,
    `holds something that looks like a secret (sk_…, whsec_… or a long key), which is not shown`,
    `put the right value there (${where}); if that file or deployment was shared, rotate the secret`,
  );
}
const setEnvCommand = (inputs: DoctorInputs, name: string, value: string) =>
  `pnpm convex env set${inputs.target === "production" ? " --prod" : ""} ${name} ${value}`;

function checkNode(version: string, required: string): CheckResult {
  const label = "Node";
  return satisfiesMinimum(version, required)
    ? ok(label, `${version} (needs ${required})`)
    : problem(
        label,
        `${version} is older than ${required}`,
        "install Node 26 LTS (`nvm install` reads .nvmrc); 22.12 or newer works",
      );
}

function checkPnpm(version: string | undefined, packageManager: string): CheckResult {
  const label = "pnpm";
  const pinned = packageManager.replace(/^pnpm@/, "").split("+")[0] ?? "";
  if (version === undefined) {
    return skipped(
      label,
      "could not find out pnpm's version",
      `\`npm install -g pnpm@${pinned}\` installs the pinned pnpm`,
    );
  }
  return version === pinned
    ? ok(label, `${version} (pinned in package.json)`)
    : problem(
        label,
        `${version}, but package.json pins ${pinned}`,
        `\`corepack enable\` (then pnpm runs as ${pinned} here), or \`npm install -g pnpm@${pinned}\``,
      );
}

/** The deployment's type from CONVEX_DEPLOYMENT (`dev:name`, `prod:name`, `local:name`, `anonymous:name`). */
function deploymentType(backendEnv: EnvFile): string | undefined {
  const deployment = backendEnv.CONVEX_DEPLOYMENT;
  if (!deployment) return undefined;
  return deployment.includes(":") ? deployment.split(":")[0] : "dev";
}

const localUrl = /^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/;

/** A deployment on this machine (`convex dev` local or anonymous, or a self-hosted 127.0.0.1): Clerk cannot reach it. */
export function isLocalDeployment(inputs: Pick<DoctorInputs, "target" | "backendEnv" | "webEnv">): boolean {
  if (inputs.target === "production") return false;
  const type = deploymentType(inputs.backendEnv);
  if (type === "local" || type === "anonymous") return true;
  const { CONVEX_URL, CONVEX_SELF_HOSTED_URL } = inputs.backendEnv;
  return [CONVEX_SELF_HOSTED_URL, CONVEX_URL, inputs.webEnv?.VITE_CONVEX_URL].some(
    (url) => url !== undefined && localUrl.test(url),
  );
}

type Context = {
  inputs: DoctorInputs;
  publishableKey: PublishableKey | undefined;
  issuerHost: string | undefined;
};

function checkWebEnvFile({ inputs }: Context): CheckResult {
  return inputs.webEnv === undefined
    ? problem(
        webEnvPath,
        "missing",
        "`cp apps/web/.env.example apps/web/.env.local`, then `pnpm setup:convex` fills in VITE_CONVEX_URL",
      )
    : ok(webEnvPath, "present");
}

function checkConvexUrl({ inputs }: Context): CheckResult {
  const label = "VITE_CONVEX_URL";
  const value = inputs.webEnv?.VITE_CONVEX_URL;
  if (!value) return problem(label, `not set in ${webEnvPath}`, "`pnpm setup:convex` writes it");
  if (looksLikeSecret(value)) return secretIn(label, `the deployment URL in ${webEnvPath}`);
  const parsed = parseConvexUrl(value);
  if (parsed.ok) return ok(label, parsed.value.url);
  return problem(
    label,
    `${JSON.stringify(value)}: ${parsed.error}`,
    parsed.suggestion === undefined
      ? "copy the Deployment URL from the Convex dashboard → Settings → General, or run `pnpm setup:convex`"
      : `set VITE_CONVEX_URL=${parsed.suggestion} in ${webEnvPath}`,
  );
}

function checkPublishableKey({ inputs }: Context): CheckResult {
  const label = "VITE_CLERK_PUBLISHABLE_KEY";
  const value = inputs.webEnv?.VITE_CLERK_PUBLISHABLE_KEY;
  const fix = `copy it from Clerk dashboard → Configure → API keys into ${webEnvPath}`;
  if (!value) return problem(label, `not set in ${webEnvPath}`, fix);
  const parsed = parsePublishableKey(value);
  if (!parsed.ok) return problem(label, parsed.error, fix);
  return ok(label, `${parsed.value.instance} instance, Frontend API ${parsed.value.frontendApiHost}`);
}

function checkDeployment({ inputs }: Context): CheckResult {
  const label = "Convex deployment";
  const deployment = inputs.backendEnv.CONVEX_DEPLOYMENT || inputs.backendEnv.CONVEX_SELF_HOSTED_URL;
  if (!deployment) {
    return problem(label, "none configured in packages/backend/.env.local", "`pnpm setup:convex`");
  }
  return ok(label, deployment);
}

/**
 * The web app and `convex dev` must talk to the same deployment, or the UI never sees the webhook's writes.
 * Compared as deployments, not hostnames: a custom domain serves the same instance as its .convex.cloud URL.
 */
function checkSameDeployment({ inputs }: Context): CheckResult | undefined {
  const webUrl = inputs.webEnv?.VITE_CONVEX_URL?.replace(/\/+$/, "");
  const backendUrl = inputs.backendEnv.CONVEX_URL?.replace(/\/+$/, "");
  if (!webUrl || !backendUrl) return undefined;
  const label = "web app → deployment";
  if (webUrl === backendUrl) {
    return ok(label, `VITE_CONVEX_URL matches the deployment in packages/backend/.env.local (${backendUrl})`);
  }
  const { web, backend } = inputs.instanceNames ?? { web: undefined, backend: undefined };
  if (web !== undefined && web === backend) {
    return ok(label, `VITE_CONVEX_URL ${webUrl} serves ${web}, the deployment \`convex dev\` pushes to`);
  }
  const bothCloud = [webUrl, backendUrl].every((url) => /\.convex\.cloud$/.test(url));
  if (!bothCloud && (web === undefined || backend === undefined)) {
    return skipped(
      label,
      `could not ask ${webUrl} and ${backendUrl} which deployment they serve`,
      "check you are online (a custom domain is fine when it serves the same deployment)",
    );
  }
  return problem(
    label,
    `VITE_CONVEX_URL is ${webUrl}${web ? ` (${web})` : ""} but \`convex dev\` pushes to ${backendUrl}${backend ? ` (${backend})` : ""}`,
    `set VITE_CONVEX_URL=${backendUrl}, or a custom domain of that deployment, in ${webEnvPath} (\`pnpm setup:convex\` writes the first)`,
  );
}

function deploymentVar(inputs: DoctorInputs, name: string): CheckResult | { value: string | undefined } {
  const env = inputs.deploymentEnv;
  if (env === undefined) return skipped(name, "no Convex deployment to ask yet");
  if (!env.ok) {
    return skipped(
      name,
      `could not read the deployment's env (${env.reason})`,
      isLocalDeployment(inputs)
        ? "is the local backend running (`pnpm dev`)?"
        : `check you are online and logged in: \`pnpm convex env list${inputs.target === "production" ? " --prod" : ""}\``,
    );
  }
  return { value: env.vars[name] };
}

function checkWebhookSecret({ inputs }: Context): CheckResult {
  const label = "CLERK_WEBHOOK_SECRET";
  const found = deploymentVar(inputs, label);
  if ("status" in found) return found;
  const fix = `Clerk dashboard → Webhooks → your endpoint → Signing Secret, then \`${setEnvCommand(inputs, label, "whsec_...")}\``;
  if (!found.value && isLocalDeployment(inputs)) {
    return ok(
      label,
      "not set (optional here: Clerk's webhooks reach a local deployment only through a tunnel)",
    );
  }
  if (!found.value) return problem(label, "not set on the deployment", fix);
  const parsed = parseWebhookSecret(found.value);
  if (!parsed.ok) return problem(label, `set, but refused: ${parsed.error}`, fix);
  return ok(label, `set (whsec_…, a ${parsed.value.keyBytes}-byte key)`);
}

function checkIssuerDomain({ inputs, issuerHost }: Context): CheckResult {
  const label = "CLERK_JWT_ISSUER_DOMAIN";
  const found = deploymentVar(inputs, label);
  if ("status" in found) return found;
  const fix = `\`${setEnvCommand(inputs, label, "https://<your-frontend-api>")}\` (Clerk dashboard → Configure → API keys → Frontend API URL)`;
  if (!found.value) return problem(label, "not set on the deployment", fix);
  if (looksLikeSecret(found.value)) return secretIn(label, fix);
  if (issuerHost === undefined) return problem(label, `${found.value} is not an https URL`, fix);
  return ok(label, found.value);
}

/** Only `pnpm sync:clerk` uses it, and it must come from the same Clerk instance as everything else. */
function checkSecretKey({ inputs, publishableKey }: Context): CheckResult {
  const label = "CLERK_SECRET_KEY";
  const found = deploymentVar(inputs, label);
  if ("status" in found) return found;
  if (!found.value) return ok(label, "not set (only `pnpm sync:clerk` and its daily cron need it)");
  const fix = `Clerk dashboard → API keys → Secret key, then \`${setEnvCommand(inputs, label, "sk_...")}\``;
  const kind = /^sk_(test|live)_/.exec(found.value)?.[1];
  if (kind === undefined) return problem(label, "set, but it does not start with sk_test_ or sk_live_", fix);
  const instance = kind === "live" ? "production" : "development";
  if (publishableKey !== undefined && publishableKey.instance !== instance) {
    return problem(
      label,
      `a ${instance} secret key, but the web app's publishable key is from a ${publishableKey.instance} instance (sync:clerk refuses to run with it)`,
      `use the secret key of the instance your publishable key belongs to: ${fix}`,
    );
  }
  return ok(label, "set (for `pnpm sync:clerk` and its daily cron)");
}

/** Tokens are issued by the Frontend API the key names; any other issuer makes every Convex call unauthenticated. */
function checkIssuerMatchesKey({ inputs, publishableKey, issuerHost }: Context): CheckResult | undefined {
  const label = "issuer ↔ publishable key";
  if (publishableKey === undefined) return undefined;
  if (inputs.deploymentEnv !== undefined && !inputs.deploymentEnv.ok) {
    return skipped(label, "needs the deployment's env, which could not be read");
  }
  if (issuerHost === undefined) return undefined;
  return issuerHost === publishableKey.frontendApiHost
    ? ok(label, `both name ${issuerHost}`)
    : problem(
        label,
        `the deployment trusts ${issuerHost} but the web app's key belongs to ${publishableKey.frontendApiHost} (keys from another Clerk instance?)`,
        `\`${setEnvCommand(inputs, "CLERK_JWT_ISSUER_DOMAIN", `https://${publishableKey.frontendApiHost}`)}\`, or use that instance's publishable key`,
      );
}

const instanceFor: Record<string, ClerkInstance> = { prod: "production", dev: "development" };

/** A production Clerk instance wired to a dev deployment (or the reverse) mixes real users with test data. */
function checkInstancePairing({ inputs, publishableKey }: Context): CheckResult | undefined {
  const type = deploymentType(inputs.backendEnv);
  const expected = type === undefined ? undefined : (instanceFor[type] ?? "development");
  if (publishableKey === undefined || expected === undefined) return undefined;
  const label = "Clerk instance ↔ deployment";
  const pairing = `${publishableKey.instance} keys with ${/^[aeiou]/.test(type ?? "") ? "an" : "a"} ${type} deployment`;
  if (publishableKey.instance === expected) return ok(label, pairing);
  const fix =
    expected === "development"
      ? "use the development instance's pk_test_ key here; production keys belong with `convex deploy`"
      : "use the production instance's pk_live_ key with a prod deployment";
  return problem(label, pairing, fix);
}

function httpsHost(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^https:\/\/([^/\s:]+)\/?$/.exec(value.trim());
  return match?.[1];
}

function context(inputs: DoctorInputs): Context {
  const key = parsePublishableKey(inputs.webEnv?.VITE_CLERK_PUBLISHABLE_KEY ?? "");
  const issuer = inputs.deploymentEnv?.ok ? inputs.deploymentEnv.vars.CLERK_JWT_ISSUER_DOMAIN : undefined;
  return {
    inputs,
    publishableKey: key.ok ? key.value : undefined,
    issuerHost: httpsHost(issuer),
  };
}

/** Production: the key `vite build` bakes in must be the production instance's, not .env.local's pk_test_. */
function checkProductionKey({ inputs }: Context): CheckResult {
  const label = "VITE_CLERK_PUBLISHABLE_KEY (production build)";
  const value = inputs.webEnv?.VITE_CLERK_PUBLISHABLE_KEY;
  const fix =
    "put the production instance's pk_live_ key (Clerk dashboard → switch to Production → API keys) in apps/web/.env.production.local, or set VITE_CLERK_PUBLISHABLE_KEY in your host's build environment";
  if (!value) return problem(label, "not set", fix);
  const parsed = parsePublishableKey(value);
  const from = inputs.webKeySource === undefined ? "" : ` (from ${inputs.webKeySource})`;
  if (!parsed.ok) return problem(label, `${parsed.error}${from}`, fix);
  if (parsed.value.instance !== "production") {
    return problem(label, `a development key (pk_test_)${from} would go into the production build`, fix);
  }
  return ok(label, `production instance, Frontend API ${parsed.value.frontendApiHost}${from}`);
}

/** Production: where `pnpm deploy:prod` (convex deploy) pushes to. */
function checkDeployTarget({ inputs }: Context): CheckResult {
  const label = "production deployment";
  const fix =
    "Convex dashboard → your project → Production → Settings → General → Deploy keys → generate a deploy key with the deployment:deploy permission, and set CONVEX_DEPLOY_KEY in your host's build environment";
  const key = inputs.deployKey;
  if (key) {
    const [kind, name] = /^([a-z-]+):([^|]+)\|/.exec(key)?.slice(1) ?? [];
    if (kind === "prod") return ok(label, `CONVEX_DEPLOY_KEY deploys to ${name}`);
    return problem(
      label,
      `CONVEX_DEPLOY_KEY is ${kind === undefined ? "not a deploy key" : `a ${kind} key`}`,
      fix,
    );
  }
  if (inputs.backendEnv.CONVEX_DEPLOYMENT) {
    return ok(
      label,
      "the production deployment of the project in packages/backend/.env.local (a host needs CONVEX_DEPLOY_KEY instead)",
    );
  }
  return problem(label, "no CONVEX_DEPLOY_KEY and no project in packages/backend/.env.local", fix);
}

/** Where the deployment serves HTTP actions: the CLI's CONVEX_SITE_URL, else derived from VITE_CONVEX_URL. */
export function siteUrlOf(inputs: DoctorInputs): string | undefined {
  if (inputs.target === "production") return inputs.productionSiteUrl;
  const fromCli = inputs.backendEnv.CONVEX_SITE_URL;
  if (fromCli) return fromCli;
  const convexUrl = inputs.webEnv?.VITE_CONVEX_URL ?? inputs.backendEnv.CONVEX_URL;
  return convexUrl ? convexSiteUrl(convexUrl) : undefined;
}

export function doctorWebhookUrl(inputs: DoctorInputs): string | undefined {
  const siteUrl = siteUrlOf(inputs);
  return siteUrl === undefined ? undefined : webhookUrl(siteUrl);
}

export function runChecks(inputs: DoctorInputs): CheckResult[] {
  const ctx = context(inputs);
  const tools = [
    checkNode(inputs.nodeVersion, inputs.nodeRequired),
    checkPnpm(inputs.pnpmVersion, inputs.packageManager),
  ];
  const deployment = [
    checkWebhookSecret(ctx),
    checkIssuerDomain(ctx),
    checkSecretKey(ctx),
    checkIssuerMatchesKey(ctx),
  ];
  const checks =
    inputs.target === "production"
      ? [...tools, checkProductionKey(ctx), checkDeployTarget(ctx), ...deployment]
      : [
          ...tools,
          checkWebEnvFile(ctx),
          checkConvexUrl(ctx),
          checkPublishableKey(ctx),
          checkDeployment(ctx),
          checkSameDeployment(ctx),
          ...deployment,
          checkInstancePairing(ctx),
        ];
  return checks.filter((check): check is CheckResult => check !== undefined);
}
