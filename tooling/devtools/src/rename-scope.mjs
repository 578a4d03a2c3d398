// `pnpm rename-scope @acme && pnpm install && pnpm format`: gives the workspace's packages the scope it is given (…/web → @acme/web, …) in every
// text file of the kit, the lockfile included, so `pnpm install` afterwards relinks the packages offline.
// Plain Node (no dependencies, no shell), so it runs the same on macOS, Linux and Windows.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// fileURLToPath, not .pathname: a folder with a space or a Windows drive letter stays a real path.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const usage = `Usage: pnpm rename-scope @your-scope   (lowercase, as npm package scopes are)

Renames the workspace's package scope (the one packages/shared/package.json has now) to @your-scope in every
text file of the kit, the lockfile included; then run \`pnpm install && pnpm format\`.

  -h, --help   show this help

Exit codes: 0 renamed (or already so named), 1 no valid scope given, or a dependency's scope (@clerk).`;
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

function files(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) files(path, found);
    } else if (entry.isFile() && textFile.test(entry.name)) found.push(path);
  }
  return found;
}
const all = files(root);

// The workspace's own package names, and the scopes of everything they depend on (catalog included).
const ownNames = new Set();
const dependencyScopes = new Set();
for (const path of all) {
  const text = readFileSync(path, "utf8");
  if (path.endsWith("package.json")) {
    const json = JSON.parse(text);
    if (typeof json.name === "string" && json.name.startsWith(`${from}/`)) ownNames.add(json.name);
  }
  if (path.endsWith("package.json") || path.endsWith("pnpm-workspace.yaml")) {
    for (const [, scope] of text.matchAll(/["'\s](@[a-z0-9][a-z0-9._-]*)\/[a-z0-9]/g)) {
      if (scope !== from) dependencyScopes.add(scope);
    }
  }
}
// Renamed into a dependency's scope, the kit's packages could no longer be told from it (a later rename
// would rename @clerk/react too), so that scope is refused.
if (dependencyScopes.has(to)) {
  console.error(`${to} is the scope of a dependency (${to}/…): choose a scope of your own.\n\n${usage}`);
  process.exit(1);
}

// Only the workspace's own names, whole: a dependency that shares the scope keeps its name.
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const names = [...ownNames].map((name) => literal(name.slice(from.length + 1))).join("|");
const pattern = new RegExp(`${literal(from)}/(${names})(?![a-z0-9._-])`, "g");

let changed = 0;
for (const path of names === "" ? [] : all) {
  const text = readFileSync(path, "utf8");
  const renamed = text.replace(pattern, `${to}/$1`);
  if (renamed !== text) {
    writeFileSync(path, renamed);
    changed += 1;
  }
}
console.log(
  `Renamed ${from}/* to ${to}/* in ${changed} files. Now run \`pnpm install && pnpm format\`: install relinks the packages, format re-sorts the imports.`,
);
