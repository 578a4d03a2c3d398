import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const devtoolsDir = new URL("../", import.meta.url);
/** Files the tools would change first (rename-scope: every package.json): unchanged after --help. */
const watched = [
  "../../package.json",
  "../../packages/backend/package.json",
  "../../packages/shared/package.json",
].map((path) => new URL(path, devtoolsDir));
const snapshot = () => watched.map((url) => readFileSync(url, "utf8"));

describe("--help", () => {
  // Each script runs for real: it must print its usage and exit 0 before touching a file or the network.
  it.each([
    ["smoke", "src/smoke.ts"],
    ["sync:clerk", "src/sync-clerk.ts"],
    ["setup:check", "src/setup-check.ts"],
  ])(
    "pnpm %s --help prints its usage and exit codes, and does nothing",
    { timeout: 30_000 },
    async (name, script) => {
      const before = snapshot();
      const { stdout } = await run(process.execPath, ["--import", "tsx", script, "--help"], {
        cwd: devtoolsDir,
        timeout: 25_000,
      });
      expect(stdout).toMatch(new RegExp(`^Usage: pnpm ${name}\\b`));
      expect(stdout).toMatch(/Exit codes?:/);
      expect(snapshot()).toEqual(before);
    },
  );

  it("pnpm rename-scope -h prints its usage and renames nothing", { timeout: 30_000 }, async () => {
    const before = snapshot();
    const { stdout } = await run(process.execPath, ["src/rename-scope.mjs", "-h"], {
      cwd: devtoolsDir,
      timeout: 25_000,
    });
    expect(stdout).toMatch(/^Usage: pnpm rename-scope @your-scope/);
    expect(stdout).not.toContain("Renamed");
    expect(snapshot()).toEqual(before);
  });
});
