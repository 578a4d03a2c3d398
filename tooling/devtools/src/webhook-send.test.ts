// @vitest-environment node
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Endpoint, startEndpoint } from "./webhook/endpoint.testkit.ts";

const devtoolsDir = fileURLToPath(new URL("..", import.meta.url));

let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await startEndpoint();
});

afterAll(async () => {
  await endpoint.close();
});

/** Runs the real script the way `pnpm webhook:send` does (async, so this process's endpoint can answer). */
function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "tsx",
      ["src/webhook-send.ts", ...argv],
      {
        cwd: devtoolsDir,
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

// One end-to-end run of the real script (tsx startup takes seconds on a busy machine); the in-process tests
// in webhook/send.test.ts cover the behaviour, this covers the wiring to the process's exit code.
describe("the webhook:send command", { timeout: 30_000 }, () => {
  it("prints the endpoint's 400 and exits non-zero when the secret is wrong", async () => {
    const wrong = `whsec_${Buffer.from("some other endpoint's secret....").toString("base64")}`;
    const result = await cli("user.created", "--url", endpoint.url, "--secret", wrong);
    expect(result.stdout).toContain("400 Bad Request");
    expect(result.stdout).toContain("Invalid webhook signature");
    expect(result.code).toBe(1);
  });
});
