/** `pnpm convex <args>`: the Convex CLI through the kit's runner, so its messages fit this layout. */
import { spawnSync } from "node:child_process";
import { convexCommand } from "./convex-cli.ts";

const result = spawnSync(...convexCommand(process.argv.slice(2)), { stdio: "inherit" });
process.exitCode = result.status ?? 1;
