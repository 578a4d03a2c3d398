/**
 * The tutorial's minimal version, type-checked as the reader would paste it: its `<!-- scratch: … -->` blocks
 * are written into a fresh Convex project in a temporary directory, `convex codegen --init` (offline) writes its
 * tsconfig and `_generated`, the tsconfig gets the one edit the tutorial asks for, and TypeScript checks it. The project links the repository's own `convex`, `svix` and
 * `@types/node`, so nothing is downloaded. Each error names the tutorial's line.
 */
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Problem, ScratchFile } from "./check.ts";

/** Where the tools and packages are: the repository's installed copies. */
export type Toolchain = {
  /** The `convex` CLI (`packages/backend/node_modules/.bin/convex`). */
  convex: string;
  /** TypeScript's `tsc`. */
  tsc: string;
  /** Each package the scratch project may import, and the directory it is installed in. */
  packages: Record<string, string>;
};

export function repoToolchain(root: string): Toolchain {
  const backend = join(root, "packages/backend/node_modules");
  const docs = join(root, "docs/node_modules");
  return {
    convex: join(backend, ".bin/convex"),
    tsc: join(docs, ".bin/tsc"),
    packages: {
      convex: join(backend, "convex"),
      svix: join(backend, "svix"),
      "@types/node": join(docs, "@types/node"),
    },
  };
}

/** The one edit the tutorial asks of the `convex/tsconfig.json` that codegen writes: Node's types, for `process.env`. */
export const NODE_TYPES_EDIT = { find: '"noEmit": true', replace: '"noEmit": true,\n    "types": ["node"]' };

/** `convex/http.ts(12,5): error TS2322: …`, as tsc prints it. */
const TSC_ERROR = /^(convex\/[^(]+)\((\d+),(\d+)\): (error TS\d+: .*)$/;

/** Type-checks the files as one Convex project; each problem is placed on `page`'s line where it occurs. */
export function typecheckScratch(page: string, files: ScratchFile[], tools: Toolchain): Problem[] {
  if (files.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), "docs-scratch-"));
  try {
    const dependencies = Object.fromEntries(Object.keys(tools.packages).map((name) => [name, "*"]));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module", dependencies }));
    for (const [name, installed] of Object.entries(tools.packages)) {
      const link = join(dir, "node_modules", name);
      mkdirSync(dirname(link), { recursive: true });
      // The real directory, so each package finds its own dependencies beside it in pnpm's store.
      symlinkSync(realpathSync(installed), link, "dir");
    }
    for (const { path, code } of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `${code}\n`);
    }

    // As the tutorial has the reader do it: codegen --init writes convex/tsconfig.json and _generated offline.
    const codegen = run(tools.convex, ["codegen", "--init", "--system-udfs", "--typecheck", "disable"], dir);
    if (codegen.status !== 0) {
      return [{ file: page, message: `scratch project: convex codegen failed: ${codegen.output}` }];
    }
    const tsconfig = join(dir, "convex/tsconfig.json");
    const written = readFileSync(tsconfig, "utf8");
    if (!written.includes(NODE_TYPES_EDIT.find)) {
      return [
        {
          file: page,
          message: `scratch project: convex/tsconfig.json has no ${NODE_TYPES_EDIT.find} to add types after`,
        },
      ];
    }
    writeFileSync(tsconfig, written.replace(NODE_TYPES_EDIT.find, NODE_TYPES_EDIT.replace));
    const tsc = run(tools.tsc, ["--noEmit", "-p", "convex"], dir);
    if (tsc.status === 0) return [];
    const problems = tsc.output.split("\n").flatMap((text): Problem[] => {
      const [, path, line = "0", column, message] = TSC_ERROR.exec(text.trim()) ?? [];
      const file = files.find((candidate) => candidate.path === path);
      if (file === undefined) return [];
      return [
        {
          file: page,
          line: file.line + Number(line),
          message: `scratch ${path}:${line}:${column}: ${message}`,
        },
      ];
    });
    return problems.length > 0
      ? problems
      : [{ file: page, message: `scratch project: tsc failed: ${tsc.output}` }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string) {
  // Without a deployment in the environment: codegen must not depend on one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CONVEX_")));
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 60_000 });
  const output = `${result.error?.message ?? ""}${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  return { status: result.status, output };
}
