// The signed-out visitor's JavaScript stays small: the entry chunk that apps/web/dist/index.html loads, gzipped,
// under the budget. Convex, the router and the signed-in screens load after sign-in (signed-in.tsx).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 110;
const dist = new URL("../../apps/web/dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const entry = /<script[^>]+src="\/([^"]+\.js)"/.exec(html)?.[1];
if (entry === undefined) throw new Error("apps/web/dist/index.html loads no script: run pnpm build first");
const kb = gzipSync(readFileSync(new URL(entry, dist))).byteLength / 1024;
console.log(`signed-out JavaScript: ${entry} ${kb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error("Over budget: keep what only signed-in users need behind the lazy import in auth-gate.tsx.");
  process.exit(1);
}
