/**
 * Fails when the committed `convex/_generated` differs from a fresh offline generation, so the typed API
 * that the web app imports can never drift from the functions. Works without git (a degit copy has none).
 * The `components` export that `convex dev` adds is not drift (see codegen/components.ts): when it is the
 * only difference, the files `convex dev` wrote are put back as they were.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { withoutComponents } from "./codegen/components.ts";
import { convexCommand } from "./convex-cli.ts";

const dir = new URL("../convex/_generated/", import.meta.url);

/** The generated files; folders are not codegen's (`convex ai-files install` puts Convex's guidelines in `ai/`). */
function snapshot(): Map<string, string> {
  const files = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map(({ name }) => [name, readFileSync(new URL(name, dir), "utf8")]));
}

const before = snapshot();
const result = spawnSync(...convexCommand(["codegen", "--system-udfs", "--typecheck", "disable"]), {
  stdio: "inherit",
});
if (result.status !== 0) process.exit(result.status ?? 1);
const after = snapshot();

const names = [...new Set([...before.keys(), ...after.keys()])];
const changed = names.filter(
  (name) => withoutComponents(before.get(name) ?? "") !== withoutComponents(after.get(name) ?? ""),
);
if (changed.length > 0) {
  console.error(
    `convex/_generated was out of date (${changed.join(", ")}); it has now been regenerated. Commit the result.`,
  );
  process.exit(1);
}
for (const [name, text] of before) {
  if (after.get(name) !== text) writeFileSync(new URL(name, dir), text);
}
console.log("convex/_generated is up to date.");
