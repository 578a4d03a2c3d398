/**
 * `pnpm example:remove`: takes the example feature (messages) out of the kit, the steps README → "Remove
 * the example" lists. Every edit is checked before any file changes, so a step the code has outgrown stops
 * the removal with nothing half done.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { convexCommand } from "./convex-cli.ts";

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
      /\n\n {2}\/\/ The example feature[^\n]*\n {2}messages: defineTable\(\{[\s\S]*?\}\)\.index\("by_author", \["authorId"\]\),/,
  },
  {
    file: "packages/backend/convex/users.ts",
    remove: /import \{ deleteMessagesOf \} from "\.\/messages";\n/,
  },
  {
    file: "packages/backend/convex/users.ts",
    remove: / {2}await deleteMessagesOf\(ctx, userId\); \/\/ the example feature\n/,
    insert: "  // One line per table that refers to users, e.g. `await deleteMessagesOf(ctx, userId);`\n",
  },
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

for (const [file, text] of texts) {
  writeFileSync(at(file), text);
  console.log(`edited  ${file}`);
}
for (const path of [
  "packages/backend/convex/messages.ts",
  "packages/backend/convex/messages.test.ts",
  "apps/web/src/messages",
]) {
  rmSync(at(path), { recursive: true, force: true });
  console.log(`deleted ${path}`);
}

// The typed API the web app imports must lose `api.messages` too.
const codegen = spawnSync(...convexCommand(["codegen", "--system-udfs", "--typecheck", "disable"]), {
  cwd: at("packages/backend"),
  stdio: "inherit",
});
if (codegen.status !== 0) process.exit(codegen.status ?? 1);

console.log(
  "\nThe example is gone. `onUserDeleted` in convex/users.ts is where your own tables' clean-up goes.",
);
