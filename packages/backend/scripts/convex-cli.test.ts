// @vitest-environment node
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { convexCommand, convexHost, missingDeploymentMessage } from "./convex-cli.ts";
import { closedPort, runScript } from "./offline.testkit.ts";

describe("the Convex CLI runner", () => {
  it("answers a command that needs a deployment, when there is none, with the kit's own step", () => {
    const message = missingDeploymentMessage(["run", "reconcile:withClerk", "{}"], {});
    expect(message).toContain("pnpm setup:convex");
    expect(message).not.toContain("npx convex dev");
  });

  it("leaves the CLI alone once a deployment is configured, or for commands that need none", () => {
    expect(
      missingDeploymentMessage(["env", "list"], { CONVEX_DEPLOYMENT: "dev:happy-animal-123" }),
    ).toBeUndefined();
    expect(
      missingDeploymentMessage(["env", "list"], { CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:3210" }),
    ).toBeUndefined();
    expect(
      missingDeploymentMessage(["deploy"], { CONVEX_DEPLOY_KEY: "prod:happy-animal-123|x" }),
    ).toBeUndefined();
    expect(missingDeploymentMessage(["codegen", "--system-udfs"], {})).toBeUndefined();
    expect(missingDeploymentMessage(["dev", "--once"], {})).toBeUndefined();
  });

  it("fails the way the CLI does: the message on stderr and exit 1", () => {
    const [command, args] = convexCommand(["logs"], {});
    const result = spawnSync(command, args, { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("✖ `convex logs` needs a Convex deployment");
  });

  it("asks a cloud deployment's commands of Convex's API, a self-hosted one's of its URL, a local one's of nobody", () => {
    const args = ["env", "list"];
    expect(convexHost(args, { CONVEX_DEPLOYMENT: "dev:happy-animal-123" })).toBe("https://api.convex.dev");
    expect(convexHost(["deploy"], { CONVEX_DEPLOY_KEY: "prod:happy-animal-123|x" })).toBe(
      "https://api.convex.dev",
    );
    expect(convexHost(args, { CONVEX_SELF_HOSTED_URL: "https://convex.example.com" })).toBe(
      "https://convex.example.com",
    );
    expect(convexHost(args, { CONVEX_DEPLOYMENT: "local:local-ada-kit" })).toBeUndefined();
    expect(convexHost(["codegen"], { CONVEX_DEPLOYMENT: "dev:happy-animal-123" })).toBeUndefined();
  });

  it.each([
    [
      "a cloud deployment (Convex's API)",
      "CONVEX_PROVISION_HOST",
      { CONVEX_DEPLOYMENT: "dev:happy-animal-123" },
    ],
    ["a self-hosted deployment", "CONVEX_SELF_HOSTED_URL", { CONVEX_SELF_HOSTED_ADMIN_KEY: "standin|0123" }],
  ])(
    "pnpm convex env list, offline, names what it could not reach within 5 s and exits 1: %s",
    { timeout: 20_000 },
    async (_, name, deployment) => {
      const host = `http://127.0.0.1:${await closedPort()}`;
      const run = await runScript("scripts/convex.ts", ["env", "list"], {
        CONVEX_DEPLOYMENT: undefined,
        CONVEX_DEPLOY_KEY: undefined,
        CONVEX_SELF_HOSTED_URL: undefined,
        ...deployment,
        [name]: host,
      });
      expect(run.stderr).toContain(`✖ cannot reach ${host}`);
      expect(run.code).toBe(1);
      expect(run.ms).toBeLessThan(5_000);
    },
  );
});
