/** `pnpm convex <args>`: the Convex CLI through the kit's runner, so its messages fit this layout. */
import { spawnSync } from "node:child_process";
import { reachableConvexCommand } from "./convex-cli.ts";

const result = spawnSync(...(await reachableConvexCommand(process.argv.slice(2))), { stdio: "inherit" });
process.exitCode = result.status ?? 1;
