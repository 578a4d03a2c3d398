// @vitest-environment node
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { convexCommand, missingDeploymentMessage } from "./convex-cli.ts";

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
});
