// @vitest-environment node
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const backendDir = new URL("../", import.meta.url);
/** Files the scripts would edit first (env files, package.json): unchanged after --help. */
const watched = ["convex/schema.ts", "package.json", "../shared/package.json"].map(
  (path) => new URL(path, backendDir),
);
const snapshot = () => watched.map((url) => readFileSync(url, "utf8"));

describe("--help", () => {
  // Each script runs for real: it must print its usage and exit 0 before touching a file or the network.
  it.each([
    ["setup:convex", "scripts/setup-convex.ts"],
    ["deploy:prod", "scripts/deploy-prod.ts"],
  ])(
    "pnpm %s --help prints its usage and exit codes, and does nothing",
    { timeout: 30_000 },
    async (name, script) => {
      const before = snapshot();
      const { stdout } = await run(process.execPath, ["--import", "tsx", script, "--help"], {
        cwd: backendDir,
        timeout: 25_000,
      });
      expect(stdout).toMatch(new RegExp(`^Usage: pnpm ${name}\\b`));
      expect(stdout).toMatch(/Exit codes?:/);
      expect(snapshot()).toEqual(before);
    },
  );
});
