/**
 * `tsx scripts/docs.ts check` reports every problem in README.md and docs/**.md and exits 1 if there is
 * one; `tsx scripts/docs.ts sync` first re-copies each quoted code block from its source.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDocs, formatProblem, type Repo, syncDocs } from "./check.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const at = (path: string) => join(root, path);

const isFile = (path: string) => existsSync(at(path)) && statSync(at(path)).isFile();
const repo: Repo = {
  read: (path) => (isFile(path) ? readFileSync(at(path), "utf8") : undefined),
  exists: (path) => existsSync(at(path)),
  list: (dir) => (existsSync(at(dir)) ? readdirSync(at(dir)) : []).filter((name) => isFile(`${dir}/${name}`)),
};

const markdown = ["README.md"];
const walk = (dir: string) => {
  for (const entry of readdirSync(at(dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== "node_modules") walk(path);
    else if (entry.name.endsWith(".md")) markdown.push(path);
  }
};
walk("docs");

const mode = process.argv[2];
if (mode !== "check" && mode !== "sync") {
  console.error("usage: tsx scripts/docs.ts check|sync");
  process.exit(2);
}
if (mode === "sync") {
  for (const { file, markdown: text } of syncDocs(repo, markdown)) {
    writeFileSync(at(file), text);
    console.log(`updated ${file}`);
  }
}
const problems = checkDocs(repo, markdown);
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) process.exit(1);
console.log(`docs ok: ${markdown.join(", ")}`);
