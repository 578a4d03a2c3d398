// AGENTS.md (and CLAUDE.md) stay true: every path they name exists, every `pnpm <script>` is a script of the
// root package.json (or one of pnpm's own commands), and AGENTS.md stays short enough to be read whole.
import { existsSync, readFileSync } from "node:fs";

const MAX_LINES = 120;
const PNPM_COMMANDS = new Set(["install", "add", "remove", "exec", "dlx"]);

export function problemsIn(markdown, { exists, scripts }) {
  const problems = [];
  const lines = markdown.split("\n");
  if (lines.length > MAX_LINES) problems.push(`${lines.length} lines (at most ${MAX_LINES})`);
  // A bare file name (`users.ts`) is read in the folder its paragraph or list item names last.
  let folder = "";
  for (const line of lines) {
    if (/^\s*$|^- |^\|/.test(line)) folder = "";
    for (const [, code] of line.matchAll(/`([^`]+)`/g)) {
      for (const [, script] of code.matchAll(/\bpnpm ([a-z][\w:-]*)/g)) {
        if (!PNPM_COMMANDS.has(script) && !scripts.includes(script))
          problems.push(`\`pnpm ${script}\` is not a script`);
      }
      const isPath = /^[\w.-]+(\/[\w.-]+)+\/?$/.test(code) && exists(code.split("/")[0]);
      if (isPath) {
        if (!exists(code)) problems.push(`${code} does not exist`);
        folder = code.endsWith("/") ? code : code.replace(/[^/]+$/, "");
      } else if (/^[\w.-]+\.(md|json|ts|tsx|yaml)$/.test(code) && !exists(`${folder}${code}`)) {
        problems.push(`${folder}${code} does not exist`);
      }
    }
  }
  for (const [, link] of markdown.matchAll(/\]\(([^)#\s]+)/g)) {
    if (!/^https?:/.test(link) && !exists(link)) problems.push(`link ${link} does not exist`);
  }
  return problems;
}

const real = {
  exists: (path) => existsSync(path),
  scripts: Object.keys(JSON.parse(readFileSync("package.json", "utf8")).scripts),
};
let failed = false;
for (const file of ["AGENTS.md", "CLAUDE.md"]) {
  const problems = problemsIn(readFileSync(file, "utf8"), real);
  for (const problem of problems) console.error(`${file}: ${problem}`);
  failed ||= problems.length > 0;
}
// The check itself must be able to fail: a made-up path and script are caught.
const planted = problemsIn("`packages/nowhere.ts` and `pnpm no-such-script`", real);
if (planted.length !== 2) {
  console.error(`check-agents-md: the self-check found ${planted.length} of 2 planted problems`);
  failed = true;
}
if (failed) process.exit(1);
console.log("AGENTS.md and CLAUDE.md: every path and command they name exists");
