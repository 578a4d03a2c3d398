/**
 * The Convex CLI of this package, started with this Node: the one runner every script (and `pnpm convex`)
 * goes through. Calling `node <cli>` rather than the `convex` shim works the same on Windows, where a `.cmd`
 * shim cannot be spawned without a shell.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EnvFile, readEnvFile } from "./env-file.ts";

/** packages/backend: where the Convex CLI runs (it reads .env.local from its working directory). */
export const backendDir = fileURLToPath(new URL("../", import.meta.url));

const packageJson = createRequire(import.meta.url).resolve("convex/package.json");
const backendEnvPath = new URL("../.env.local", import.meta.url);

type Env = Record<string, string | undefined>;

/** The prefixes the Convex CLI puts before CONVEX_URL and CONVEX_SITE_URL, one per framework it knows. */
const frameworkPrefixes = ["", "VITE_", "NEXT_PUBLIC_", "PUBLIC_", "REACT_APP_", "EXPO_PUBLIC_"];

/**
 * packages/backend/.env.local with the deployment's URLs also under the names the scripts read, CONVEX_URL
 * and CONVEX_SITE_URL. `convex dev` (1.49) names them after a framework among the package's dependencies:
 * this package lists `vite`, so it writes VITE_CONVEX_URL and VITE_CONVEX_SITE_URL, unless the file already
 * holds one of the names it knows, which it then reuses (convex/dist/esm/cli/lib/envvars.js).
 */
export function withDeploymentUrls(env: EnvFile): EnvFile {
  const first = (name: string) => frameworkPrefixes.map((prefix) => env[`${prefix}${name}`]).find(Boolean);
  const url = first("CONVEX_URL");
  const siteUrl = first("CONVEX_SITE_URL");
  return { ...env, ...(url && { CONVEX_URL: url }), ...(siteUrl && { CONVEX_SITE_URL: siteUrl }) };
}

/** packages/backend/.env.local as `convex dev` wrote it, its URLs under the scripts' names too. */
export const readBackendEnv = (): EnvFile => withDeploymentUrls(readEnvFile(backendEnvPath));

/** What the Convex CLI itself reads: the environment over packages/backend/.env.local. */
const configuredEnv = (): Env => ({ ...readEnvFile(backendEnvPath), ...process.env });

/** The commands that talk to a deployment, and so fail without one. */
const needsDeployment = new Set([
  "env",
  "run",
  "logs",
  "data",
  "import",
  "export",
  "dashboard",
  "function-spec",
  "insights",
  "deploy",
]);

/**
 * Without a deployment, the Convex CLI says "run `npx convex dev`", which in this layout runs in the wrong
 * folder and skips the issuer step. Undefined when the CLI has a deployment (or was told one on the command line).
 */
export function missingDeploymentMessage(
  args: readonly string[],
  env: Env = configuredEnv(),
): string | undefined {
  const command = args.find((arg) => !arg.startsWith("-"));
  if (command === undefined || !needsDeployment.has(command)) return undefined;
  if (args.some((arg) => /^--(url|admin-key|deployment|deployment-name|env-file)\b/.test(arg)))
    return undefined;
  if (env.CONVEX_DEPLOYMENT || env.CONVEX_DEPLOY_KEY || env.CONVEX_SELF_HOSTED_URL) return undefined;
  return command === "deploy"
    ? "No Convex deployment to deploy to: run `pnpm setup:convex` once (it logs in and creates the project), or set CONVEX_DEPLOY_KEY to a production deploy key (README → Going to production)."
    : `\`convex ${command}\` needs a Convex deployment, and packages/backend/.env.local names none yet: run \`pnpm setup:convex\` at the repository root once (README → One-time setup), then try again.`;
}

/** Same shape as a failing CLI (a ✖ line on stderr, exit 1), so every caller reports it as it would Convex's. */
const failWith = (message: string): [string, string[]] => [
  process.execPath,
  ["-e", `console.error(${JSON.stringify(`✖ ${message}`)}); process.exit(1);`],
];

/** Command and arguments for `spawn`/`spawnSync`: `convex <args>`, or the kit's own message and exit 1. */
export function convexCommand(args: string[], env: Env = configuredEnv()): [string, string[]] {
  const message = missingDeploymentMessage(args, env);
  if (message !== undefined) return failWith(message);
  return [process.execPath, [join(dirname(packageJson), "bin", "main.js"), ...args]];
}

/**
 * The host the CLI must reach for `args`: a self-hosted backend, or Convex's cloud API (which every cloud
 * deployment, logged in or by deploy key, goes through first). None for a local deployment (the CLI starts
 * its backend itself) or a command that needs no deployment.
 */
export function convexHost(args: readonly string[], env: Env = configuredEnv()): string | undefined {
  const command = args.find((arg) => !arg.startsWith("-"));
  if (command === undefined || !needsDeployment.has(command)) return undefined;
  if (env.CONVEX_SELF_HOSTED_URL) return env.CONVEX_SELF_HOSTED_URL;
  const type = env.CONVEX_DEPLOYMENT?.split(":")[0];
  if (!env.CONVEX_DEPLOY_KEY && (type === "local" || type === "anonymous")) return undefined;
  return env.CONVEX_PROVISION_HOST || "https://api.convex.dev";
}

/** Whether `url` gives any HTTP answer within `timeoutMs` (any status: only the network is in question). */
export async function answers(url: string, timeoutMs = 3_000): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** Why the CLI cannot do `args` offline ("cannot reach …" and what to do), or undefined when its host answers. */
export async function unreachableFor(
  args: string[],
  env: Env = configuredEnv(),
): Promise<string | undefined> {
  const host = missingDeploymentMessage(args, env) === undefined ? convexHost(args, env) : undefined;
  if (host === undefined || (await answers(host))) return undefined;
  return host === env.CONVEX_SELF_HOSTED_URL
    ? `cannot reach ${host}: is your self-hosted backend running (or the local one: \`pnpm dev\`)?`
    : `cannot reach ${host}: offline? Check your connection (and proxy), then try again.`;
}

/**
 * `convexCommand`, after a quick look at the host the CLI needs. Offline, the CLI retries for about 36 s
 * (forever, for a self-hosted backend) before it says "fetch failed"; this says what it could not reach within
 * seconds, in the CLI's shape (✖ on stderr, exit 1).
 */
export async function reachableConvexCommand(
  args: string[],
  env: Env = configuredEnv(),
): Promise<[string, string[]]> {
  const message = await unreachableFor(args, env);
  return message === undefined ? convexCommand(args, env) : failWith(message);
}
