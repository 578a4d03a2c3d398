/**
 * What `pnpm smoke` asks of the Convex deployment, behind one small interface so the tests can use a fake:
 * the webhook route's answer to an unsigned POST, the sync state of one Clerk id (an internal query run
 * through `convex run`, so no public function exposes it), and the two public functions a signed-in browser
 * calls, through ConvexHttpClient with a real session token.
 */
import { spawn } from "node:child_process";
import { api } from "@repo/backend/api";
import { backendDir, convexCommand } from "@repo/backend/scripts/convex-cli.ts";
import { ConvexHttpClient } from "convex/browser";

export type SyncState = { row: { name: string; source: "token" | "clerk" } | null; tombstoned: boolean };

export type ConvexSide = {
  /** HTTP status of an unsigned POST to the webhook route. */
  probeWebhook(): Promise<number>;
  syncState(clerkId: string): Promise<SyncState>;
  /** `users.ensureFromToken` then `users.current`, as the given token's user. */
  signIn(
    token: string,
  ): Promise<{ ensuredId: string | null; current: { _id: string; clerkId: string } | null }>;
};

/** `convex run` prints the function's return value as JSON on stdout. */
function convexRun(fn: string, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = convexCommand(["run", fn, JSON.stringify(args)]);
    const child = spawn(command, commandArgs, { cwd: backendDir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        const last = stderr.trim().split(/\r?\n/).at(-1) ?? "";
        reject(new Error(`\`convex run ${fn}\` exited ${code}: ${last}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`\`convex run ${fn}\` printed no JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

export function liveConvexSide({
  convexUrl,
  webhookUrl,
}: {
  convexUrl: string;
  webhookUrl: string;
}): ConvexSide {
  return {
    async probeWebhook() {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        signal: AbortSignal.timeout(15_000),
      });
      await response.body?.cancel();
      return response.status;
    },
    async syncState(clerkId) {
      return (await convexRun("clerk/users:syncState", { clerkId })) as SyncState;
    },
    async signIn(token) {
      const client = new ConvexHttpClient(convexUrl);
      client.setAuth(token);
      const ensuredId = await client.mutation(api.users.ensureFromToken, {});
      const current = await client.query(api.users.current, {});
      return { ensuredId, current };
    },
  };
}
