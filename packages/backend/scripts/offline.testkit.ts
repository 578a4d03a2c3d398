/** For the tests of what the scripts do offline: a port nothing listens on, and a script run with its time. */
import { execFile } from "node:child_process";
import { createServer } from "node:net";

/** A port on 127.0.0.1 that was free a moment ago and is closed now: a connection is refused at once. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export type TimedRun = { code: number; stdout: string; stderr: string; ms: number };

/**
 * `node --import tsx <script>` from `cwd` (packages/backend unless told), with `env` over this process's (an
 * undefined value unsets the variable: the Convex CLI counts an empty one as set).
 * Killed after 15 s, so a script that waits for the network as long as the CLI does fails its test in time.
 */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: URL = new URL("../", import.meta.url),
): Promise<TimedRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script, ...args],
      { cwd, env: JSON.parse(JSON.stringify({ ...process.env, ...env })), timeout: 15_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr,
          ms: performance.now() - started,
        }),
    );
  });
}
