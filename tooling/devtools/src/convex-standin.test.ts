// @vitest-environment node
/**
 * The scripts' calls to the real `convex` CLI (the catalog's release), pointed at a stand-in deployment in
 * self-hosted mode: what the CLI writes, sends and prints is then checked whenever the catalog bumps `convex`.
 * The scripts that write files run in a temporary copy of the kit, so the repository's files stay untouched.
 * Each CLI start costs about a second here, so each test makes as few as its script does.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { backendDir, withDeploymentUrls } from "@repo/backend/scripts/convex-cli.ts";
import { parseEnvFile } from "@repo/backend/scripts/env-file.ts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { INSTANCE_NAME, type StandIn, startStandIn } from "./convex-standin.testkit.ts";
import { liveConvexSide } from "./smoke/convex-side.ts";

const devtoolsDir = fileURLToPath(new URL("../", import.meta.url));
const frontendApiHost = "happy-otter-12.clerk.accounts.dev";
const publishableKey = `pk_test_${Buffer.from(`${frontendApiHost}$`).toString("base64")}`;
const webhookSecret = `whsec_${Buffer.from("a test signing secret, 32 bytes!").toString("base64")}`;
/** Generous for a busy two-core machine: setup:convex (three CLI runs) took 15 s with two test runs side by side. */
const SCRIPT_TIMEOUT_MS = 60_000;

type Run = { code: number; stdout: string; stderr: string };

/** `node --import tsx <script>` as pnpm runs it (plain `node` for a .js file), with the stand-in as the only deployment. */
function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Run> {
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...loader, script, ...args],
      { cwd, env, timeout: SCRIPT_TIMEOUT_MS },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A fresh checkout's shape: root, apps/web, packages/backend with its scripts, functions and dependencies,
 * tooling/devtools whose `@repo/backend` is this copy's. The root's `build` stands in for turbo's: it records
 * the VITE_CONVEX_URL it was given.
 */
function copyKit(): { root: string; backend: string; web: string; devtools: string } {
  const root = mkdtempSync(join(tmpdir(), "kit-"));
  const backend = join(root, "packages", "backend");
  const web = join(root, "apps", "web");
  mkdirSync(web, { recursive: true });
  const { engines, packageManager } = JSON.parse(
    readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
  ) as Record<string, unknown>;
  const build = `node -e "require('fs').writeFileSync('built-with.txt', process.env.VITE_CONVEX_URL)"`;
  const rootPackage = { name: "kit-copy", private: true, engines, packageManager, scripts: { build } };
  writeFileSync(join(root, "package.json"), JSON.stringify(rootPackage));
  for (const part of ["scripts", "convex", "package.json"]) {
    cpSync(join(backendDir, part), join(backend, part), { recursive: true });
  }
  symlinkSync(join(backendDir, "node_modules"), join(backend, "node_modules"), "dir");
  const devtools = join(root, "tooling", "devtools");
  cpSync(join(devtoolsDir, "src"), join(devtools, "src"), { recursive: true });
  cpSync(join(devtoolsDir, "package.json"), join(devtools, "package.json"));
  const modules = join(devtools, "node_modules");
  // The workspace's scope (`@repo`, or the one `pnpm rename-scope` gave it), from this package's own name.
  const scope = (
    JSON.parse(readFileSync(join(devtoolsDir, "package.json"), "utf8")) as { name: string }
  ).name.split("/")[0] as string;
  mkdirSync(join(modules, scope), { recursive: true });
  for (const name of readdirSync(join(devtoolsDir, "node_modules"))) {
    if (name !== scope && name !== ".bin") {
      symlinkSync(join(devtoolsDir, "node_modules", name), join(modules, name), "dir");
    }
  }
  symlinkSync(backend, join(modules, scope, "backend"), "dir");
  symlinkSync(join(devtoolsDir, "node_modules", scope, "shared"), join(modules, scope, "shared"), "dir");
  return { root, backend, web, devtools };
}

let standIn: StandIn;
let kit: ReturnType<typeof copyKit>;
beforeAll(async () => {
  standIn = await startStandIn();
  kit = copyKit();
});
afterAll(async () => {
  await standIn.close();
  rmSync(kit.root, { recursive: true, force: true });
});

const envFile = (path: string) => parseEnvFile(readFileSync(path, "utf8"));

describe("the kit's scripts against the real Convex CLI and a stand-in deployment", () => {
  // These two run in order: setup:check looks at what setup:convex left behind.
  it("setup:convex on a fresh checkout carries the URL the CLI wrote as VITE_CONVEX_URL into apps/web/.env.local", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    writeFileSync(join(kit.web, ".env.local"), `VITE_CLERK_PUBLISHABLE_KEY=${publishableKey}\n`);
    const run = await runScript("scripts/setup-convex.ts", kit.backend, standIn.cliEnv());
    const output = run.stdout + run.stderr;

    // The CLI names the variables after `vite` in package.json, never CONVEX_URL.
    expect(envFile(join(kit.backend, ".env.local"))).toEqual({
      VITE_CONVEX_URL: standIn.url,
      VITE_CONVEX_SITE_URL: standIn.siteUrl,
    });
    expect(envFile(join(kit.web, ".env.local"))).toEqual({
      VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
      VITE_CONVEX_URL: standIn.url,
    });
    expect(standIn.env.get("CLERK_JWT_ISSUER_DOMAIN")).toBe(`https://${frontendApiHost}`);
    expect(output).not.toContain("needs the network");
    // The first push was refused for the unset issuer, the second by the stand-in itself; both said so.
    expect(output).toContain("CLERK_JWT_ISSUER_DOMAIN is used in auth config file but its value was not set");
    expect(output).toContain("This stand-in deployment takes no pushes.");
    expect(output).toContain("The functions were not pushed: see Convex's message above");
    expect(run.code).toBe(1);
  });

  it("setup:check reads the deployment URL under the CLI's name and the variables through `convex env list`", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    standIn.env.set("CLERK_WEBHOOK_SECRET", webhookSecret);
    const run = await runScript("src/setup-check.ts", kit.devtools, standIn.cliEnv());
    expect(run.stdout).toContain(
      `[ok]      web app → deployment: VITE_CONVEX_URL matches the deployment in packages/backend/.env.local (${standIn.url})`,
    );
    expect(run.stdout).toContain(`[ok]      CLERK_JWT_ISSUER_DOMAIN: https://${frontendApiHost}`);
    expect(run.stdout).toContain("[ok]      CLERK_WEBHOOK_SECRET: set (whsec_…, a 32-byte key)");
    expect(standIn.requests).toContain("sync _system/cli/queryEnvironmentVariables:default");
  });

  it("setup:check takes another URL of the same deployment (a custom domain) as configured, by the deployment it serves", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    const webEnvPath = join(kit.web, ".env.local");
    const before = readFileSync(webEnvPath, "utf8");
    // localhost and 127.0.0.1: two hostnames for one deployment, as a custom domain and its .convex.cloud URL are.
    const otherUrl = standIn.url.replace("127.0.0.1", "localhost");
    writeFileSync(webEnvPath, `VITE_CLERK_PUBLISHABLE_KEY=${publishableKey}\nVITE_CONVEX_URL=${otherUrl}\n`);
    try {
      const run = await runScript("src/setup-check.ts", kit.devtools, standIn.cliEnv());
      expect(run.stdout).toContain(
        `[ok]      web app → deployment: VITE_CONVEX_URL ${otherUrl} serves ${INSTANCE_NAME}, the deployment \`convex dev\` pushes to`,
      );
    } finally {
      writeFileSync(webEnvPath, before);
    }
  });

  it("keeps a URL name .env.local already holds (CONVEX_URL from .env.example), which the scripts read too", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-env-"));
    try {
      cpSync(join(backendDir, "package.json"), join(dir, "package.json"));
      symlinkSync(join(backendDir, "node_modules"), join(dir, "node_modules"), "dir");
      writeFileSync(join(dir, ".env.local"), "CONVEX_URL=\n");
      const cli = join(backendDir, "node_modules", "convex", "bin", "main.js");
      const run = await runScript(cli, dir, standIn.cliEnv(), ["dev", "--once"]);
      expect(run.code).toBe(1); // the refused push
      const written = envFile(join(dir, ".env.local"));
      expect(written).toEqual({ CONVEX_URL: standIn.url, VITE_CONVEX_SITE_URL: standIn.siteUrl });
      expect(withDeploymentUrls(written)).toMatchObject({
        CONVEX_URL: standIn.url,
        CONVEX_SITE_URL: standIn.siteUrl,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("smoke reads a user's sync state through `convex run`, whose JSON it parses from stdout", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    for (const [name, value] of Object.entries(standIn.cliEnv())) vi.stubEnv(name, value);
    const asked: unknown[] = [];
    standIn.functions.set("clerk/users:syncState", (args) => {
      asked.push(args);
      return { row: { name: "Smoke Run t1", source: "clerk" }, tombstoned: false };
    });
    const side = liveConvexSide({
      convexUrl: standIn.url,
      webhookUrl: `${standIn.siteUrl}/clerk-users-webhook`,
    });
    expect(await side.syncState("user_2abc")).toEqual({
      row: { name: "Smoke Run t1", source: "clerk" },
      tombstoned: false,
    });
    expect(asked).toEqual([{ clerkId: "user_2abc" }]);
  });

  it("sync:clerk finds the deployment in packages/backend/.env.local, starts the run and prints its record, both through `convex run`", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    const runId = "k57b2cz6n1q8kx8qg6x0m1fmh57r2d3e";
    standIn.functions.set("clerk/sync:run", () => ({ status: "started", runId }));
    standIn.functions.set("clerk/sync:status", (args) => ({
      status: args.runId === runId ? "done" : "stopped",
      message: "done: 3 Clerk users read, 1 created, 0 updated, 2 unchanged, 0 deleted",
      dryRun: false,
    }));
    // As setup:convex leaves it: the deployment named in packages/backend/.env.local, not in the shell.
    const { CONVEX_SELF_HOSTED_URL, CONVEX_SELF_HOSTED_ADMIN_KEY, ...shell } = standIn.cliEnv();
    const backendEnv = join(kit.backend, ".env.local");
    writeFileSync(
      backendEnv,
      `${existsSync(backendEnv) ? readFileSync(backendEnv, "utf8") : ""}CONVEX_SELF_HOSTED_URL=${CONVEX_SELF_HOSTED_URL}\nCONVEX_SELF_HOSTED_ADMIN_KEY=${CONVEX_SELF_HOSTED_ADMIN_KEY}\n`,
    );
    const run = await runScript("src/sync-clerk.ts", kit.devtools, shell);
    expect(run.stdout + run.stderr).toContain("done: 3 Clerk users read, 1 created");
    expect(run.code).toBe(0);
  });

  it("deploy:prod builds the web app with VITE_CONVEX_URL set to the deployment's URL, and reports a refused push", {
    timeout: SCRIPT_TIMEOUT_MS,
  }, async () => {
    // A production build needs the production instance's key; .env.local keeps the development one.
    const liveKey = `pk_live_${Buffer.from("clerk.example.com$").toString("base64")}`;
    writeFileSync(join(kit.web, ".env.production.local"), `VITE_CLERK_PUBLISHABLE_KEY=${liveKey}\n`);
    const run = await runScript("scripts/deploy-prod.ts", kit.backend, standIn.cliEnv());
    expect(readFileSync(join(kit.root, "built-with.txt"), "utf8")).toBe(standIn.url);
    expect(run.stderr).toContain("This stand-in deployment takes no pushes.");
    expect(run.stdout).not.toContain("Deployed.");
    expect(run.code).toBe(1);
  });
});
