// @vitest-environment node
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/** A port on 127.0.0.1 that nothing listens on: opened by the OS, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("pnpm setup:check", () => {
  // A deployment that does not answer (offline, or a local backend that is not running) must never end in
  // "No problems found" with exit 0: the checks that need it did not run.
  it("says it cannot reach the deployment and exits non-zero", { timeout: 30_000 }, async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "src/setup-check.ts"], {
      cwd: new URL("../", import.meta.url),
      env: { ...process.env, CONVEX_SELF_HOSTED_URL: url, CONVEX_SELF_HOSTED_ADMIN_KEY: "unused" },
      timeout: 25_000,
    });
    const failure = await run.then(
      () => undefined,
      (error: { code?: number; stdout?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain(
      `[skipped] CLERK_WEBHOOK_SECRET: could not read the deployment's env (cannot reach ${url}`,
    );
    expect(failure?.stdout).toContain("could not run");
    expect(failure?.stdout).not.toContain("No problems found");
  });
});
