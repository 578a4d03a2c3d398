/**
 * `pnpm example:remove`: takes the example feature (messages) out of the kit, the steps README → "Remove
 * the example" lists. Every edit is checked before any file changes, so a step the code has outgrown stops
 * the removal with nothing half done.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { convexCommand } from "./convex-cli.ts";
import { exitOnHelp } from "./help.ts";

exitOnHelp(`
Usage: pnpm example:remove

Removes the example feature (messages) and the rate limiter only it uses, edits the files that refer to it
and regenerates convex/_generated (README → "Remove the example"). Checks every edit before changing any
file, and puts every file back if regenerating fails. No flags but -h, --help.

Exit codes: 0 removed (or already removed), 1 nothing changed (the message says why).
`);

const root = fileURLToPath(new URL("../../../", import.meta.url));
const at = (path: string) => `${root}${path}`;

if (!existsSync(at("packages/backend/convex/messages.ts"))) {
  console.log("The example is already removed.");
  process.exit(0);
}

const edits: { file: string; remove: RegExp; insert?: string }[] = [
  // The table, from its comment to the end of its definition.
  {
    file: "packages/backend/convex/schema.ts",
    remove:
      /\n\n {2}\/\/ The example feature[^\n]*\n {2}messages: defineTable\(\{[\s\S]*?\.index\("by_authorId", \["authorId"\]\),/,
  },
  {
    file: "packages/backend/convex/users.ts",
    remove:
      / {2}await ctx\.scheduler\.runAfter\(0, internal\.messages\.deleteAllOf[^\n]*\/\/ the example feature\n/,
    insert:
      "  // One line per table of yours that refers to users, as the example's was:\n" +
      "  // await ctx.scheduler.runAfter(0, internal.notes.deleteAllOf, { of: { authorId: userId } });\n",
  },
  {
    file: "packages/backend/convex/orgs.ts",
    remove:
      / {2}await ctx\.scheduler\.runAfter\(0, internal\.messages\.deleteAllOf[^\n]*\/\/ the example feature\n/,
    insert:
      "  // One line per table of yours that refers to users, as the example's was:\n" +
      "  // await ctx.scheduler.runAfter(0, internal.notes.deleteAllOf, { of: { authorId: userId } });\n",
  },
  // The rate limiter (convex/convex.config.ts) serves only messages.send: its test registration goes too.
  {
    file: "packages/backend/convex/webhook.testkit.ts",
    remove: /import rateLimiter from "@convex-dev\/rate-limiter\/test";\n/,
  },
  {
    file: "packages/backend/convex/webhook.testkit.ts",
    remove: / {2}rateLimiter\.register\([^\n]*\);\n/,
  },
  { file: "packages/backend/vitest.config.ts", remove: /"@convex-dev\/rate-limiter", / },
  { file: "apps/web/src/home.tsx", remove: /import \{ Messages \} from "\.\/messages\/messages\.tsx";\n/ },
  { file: "apps/web/src/home.tsx", remove: / *<Messages \/>\n/ },
  {
    file: "apps/web/src/styles.css",
    remove: /\n\/\* The example feature \(src\/messages\/\)\. \*\/[\s\S]*?(?=\n\/\* )/,
  },
];

// Plan every edit first: nothing is written unless all of them apply.
const texts = new Map<string, string>();
for (const { file, remove, insert = "" } of edits) {
  const text = texts.get(file) ?? readFileSync(at(file), "utf8");
  if (!remove.test(text)) {
    console.error(
      `example:remove: ${file} no longer has ${remove}. Nothing was changed; remove the example by hand (README → "Remove the example").`,
    );
    process.exit(1);
  }
  texts.set(file, text.replace(remove, insert));
}

const deletions = [
  "packages/backend/convex/messages.ts",
  "packages/backend/convex/messages.test.ts",
  "packages/backend/convex/convex.config.ts",
  "apps/web/src/messages",
];
for (const path of deletions) {
  if (!existsSync(at(path))) {
    console.error(`example:remove: ${path} is missing. Nothing was changed; remove the example by hand.`);
    process.exit(1);
  }
}

// Codegen must run here before anything is deleted: a CLI that cannot start would leave a half-done tree.
const codegenArgs = ["codegen", "--system-udfs", "--typecheck", "disable"];
const probe = spawnSync(...convexCommand([...codegenArgs, "--dry-run"]), {
  cwd: at("packages/backend"),
  stdio: ["ignore", "ignore", "inherit"],
});
if (probe.status !== 0) {
  console.error("example:remove: `convex codegen` does not run here. Nothing was changed.");
  process.exit(1);
}

// Kept until the end, so a failure after this point puts every file back.
mkdirSync(at("node_modules/.cache"), { recursive: true });
const backup = mkdtempSync(join(at("node_modules/.cache"), "example-remove-"));
const originals = new Map([...texts.keys()].map((file) => [file, readFileSync(at(file), "utf8")]));
deletions.forEach((path, i) => {
  cpSync(at(path), join(backup, String(i)), { recursive: true });
});

function restore(): void {
  for (const [file, text] of originals) writeFileSync(at(file), text);
  deletions.forEach((path, i) => {
    cpSync(join(backup, String(i)), at(path), { recursive: true });
  });
}

try {
  for (const [file, text] of texts) {
    writeFileSync(at(file), text);
    console.log(`edited  ${file}`);
  }
  for (const path of deletions) {
    rmSync(at(path), { recursive: true, force: true });
    console.log(`deleted ${path}`);
  }
  // The typed API the web app imports must lose `api.messages` too.
  const codegen = spawnSync(...convexCommand(codegenArgs), { cwd: at("packages/backend"), stdio: "inherit" });
  if (codegen.status !== 0) throw new Error(`convex codegen exited with ${codegen.status}`);
} catch (error) {
  restore();
  spawnSync(...convexCommand(codegenArgs), { cwd: at("packages/backend"), stdio: "ignore" });
  console.error(
    `example:remove: ${error instanceof Error ? error.message : error}. Every file was put back; nothing was removed.`,
  );
  process.exitCode = 1;
} finally {
  rmSync(backup, { recursive: true, force: true });
}
if (process.exitCode === 1) process.exit(1);

console.log(
  "\nThe example is gone. `onUserDeleted` in convex/users.ts is where your own tables' clean-up goes.\n" +
    "The rate limiter it used is no longer imported. To drop it (kept until you do, so the lockfile stays in step):\n" +
    "  1. `pnpm --dir packages/backend remove @convex-dev/rate-limiter` (the dependency and its lockfile entries)\n" +
    '  2. delete the `"@convex-dev/rate-limiter"` line from the catalog in pnpm-workspace.yaml',
);
