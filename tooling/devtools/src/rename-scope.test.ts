// @vitest-environment node
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
let root: string;

/** A kit in miniature: two workspace packages, a dependency of Clerk's scope, and a source file. */
const kit: Record<string, string> = {
  "packages/shared/package.json": JSON.stringify({ name: "@repo/shared" }),
  "apps/web/package.json": JSON.stringify({
    name: "@repo/web",
    dependencies: { "@clerk/react": "catalog:", "@repo/shared": "workspace:*" },
  }),
  "pnpm-workspace.yaml": 'catalog:\n  "@clerk/react": 6.18.0\n',
  "apps/web/src/main.ts":
    'import { ClerkProvider } from "@clerk/react";\nimport { config } from "@repo/shared/config";\n// @repo/shared-ui is not ours\n',
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "rename-scope-"));
  for (const [path, text] of Object.entries(kit)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, "tooling/devtools/src"), { recursive: true });
  cpSync(new URL("rename-scope.mjs", import.meta.url), join(root, "tooling/devtools/src/rename-scope.mjs"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const rename = (scope: string) =>
  run(process.execPath, [join(root, "tooling/devtools/src/rename-scope.mjs"), scope]).then(
    () => 0,
    (error: { code?: number }) => error.code ?? 1,
  );
const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("pnpm rename-scope", () => {
  it("refuses a scope that a dependency has (@clerk), and changes no file", async () => {
    expect(await rename("@clerk")).toBe(1);
    for (const [path, text] of Object.entries(kit)) expect(read(path)).toBe(text);
  });

  it("renames the workspace's own package names, whole, and no dependency", async () => {
    expect(await rename("@acme")).toBe(0);
    expect(read("apps/web/src/main.ts")).toBe(
      'import { ClerkProvider } from "@clerk/react";\nimport { config } from "@acme/shared/config";\n// @repo/shared-ui is not ours\n',
    );
    expect(JSON.parse(read("apps/web/package.json"))).toEqual({
      name: "@acme/web",
      dependencies: { "@clerk/react": "catalog:", "@acme/shared": "workspace:*" },
    });
    expect(read("pnpm-workspace.yaml")).toBe(kit["pnpm-workspace.yaml"]);
  });
});
