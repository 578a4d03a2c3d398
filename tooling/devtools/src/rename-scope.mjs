// `pnpm rename-scope @acme && pnpm install && pnpm format`: gives the workspace's packages the scope it is given (…/web → @acme/web, …) in every
// text file of the kit, the lockfile included, so `pnpm install` afterwards relinks the packages offline.
// Plain Node (no dependencies, no shell), so it runs the same on macOS, Linux and Windows.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../../", import.meta.url).pathname.replace(/^\/([A-Za-z]:)/, "$1");
const usage = `Usage: pnpm rename-scope @your-scope   (lowercase, as npm package scopes are)

Renames the workspace's package scope (the one packages/shared/package.json has now) to @your-scope in every
text file of the kit, the lockfile included; then run \`pnpm install && pnpm format\`.

  -h, --help   show this help

Exit codes: 0 renamed (or already so named), 1 no valid scope given.`;
const to = process.argv[2];
if (to === "--help" || to === "-h") {
  console.log(usage);
  process.exit(0);
}
if (to === undefined || !/^@[a-z0-9][a-z0-9._-]*$/.test(to)) {
  console.error(usage);
  process.exit(1);
}
// The current scope is whatever the shared package is called now, so renaming twice works.
const shared = JSON.parse(readFileSync(join(root, "packages/shared/package.json"), "utf8"));
const from = shared.name.split("/")[0];
if (from === to) {
  console.log(`The packages are already called ${to}/*.`);
  process.exit(0);
}

const skipDirs = new Set([
  "node_modules",
  ".git",
  ".turbo",
  "dist",
  "dist-e2e",
  "test-results",
  "playwright-report",
]);
const textFile = /\.(ts|tsx|mts|js|mjs|cjs|json|jsonc|ya?ml|md|html|css)$/;
const pattern = new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`, "g");

let changed = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) walk(path);
    } else if (entry.isFile() && textFile.test(entry.name)) {
      const text = readFileSync(path, "utf8");
      const renamed = text.replace(pattern, `${to}/`);
      if (renamed !== text) {
        writeFileSync(path, renamed);
        changed += 1;
      }
    }
  }
}
walk(root);
console.log(
  `Renamed ${from}/* to ${to}/* in ${changed} files. Now run \`pnpm install && pnpm format\`: install relinks the packages, format re-sorts the imports.`,
);
