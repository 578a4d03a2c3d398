/**
 * The Convex CLI of this package, started with this Node. Calling `node <cli>` rather than the `convex`
 * shim works the same on Windows, where a `.cmd` shim cannot be spawned without a shell.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const packageJson = createRequire(import.meta.url).resolve("convex/package.json");

/** Command and arguments for `spawn`/`spawnSync`: `convex <args>`. */
export function convexCommand(args: string[]): [string, string[]] {
  return [process.execPath, [join(dirname(packageJson), "bin", "main.js"), ...args]];
}
