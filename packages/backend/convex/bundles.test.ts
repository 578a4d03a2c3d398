// @vitest-environment node
/**
 * Every cold start of a Convex function loads its module's bundle, so the hot paths have budgets, measured
 * the way Convex bundles (esbuild, minified; the `convex` package itself is shared and left out).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

async function minifiedKb(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    external: ["convex"],
    write: false,
    logLevel: "silent",
  });
  return (result.outputFiles[0]?.contents.byteLength ?? 0) / 1024;
}

describe("module bundle budgets", () => {
  it.each([
    ["http.ts", "the webhook", 60],
    ["users.ts", "users.current", 15],
  ])("%s (%s) stays under %i KB minified", async (entry, _role, budgetKb) => {
    const kb = await minifiedKb(`./${entry}`);
    console.info(`${entry}: ${kb.toFixed(1)} KB minified (budget ${budgetKb} KB)`);
    expect(kb).toBeLessThanOrEqual(budgetKb);
  });
});
