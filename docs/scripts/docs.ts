/**
 * `tsx scripts/docs.ts check` reports every problem in README.md and docs/**.md, including a minimal version
 * (`<!-- scratch: … -->` blocks) that does not type-check, and exits 1 if there is one;
 * `tsx scripts/docs.ts sync` first re-copies each quoted code block from its source.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDocs, formatProblem, type Repo, scratchFiles, syncDocs } from "./check.ts";
import { repoToolchain, typecheckScratch } from "./scratch.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const at = (path: string) => join(root, path);
const isFile = (path: string) => existsSync(at(path)) && statSync(at(path)).isFile();
const repo: Repo = {
  read: (path) => (isFile(path) ? readFileSync(at(path), "utf8") : undefined),
  list: (dir) => (existsSync(at(dir)) && !isFile(dir) ? readdirSync(at(dir)) : []),
};
const pages = readdirSync(at("docs"), { recursive: true, encoding: "utf8" })
  .filter((path) => path.endsWith(".md") && !path.startsWith("node_modules"))
  .map((path) => `docs/${path}`);
const markdown = ["README.md", ...pages];

if (process.argv[2] === "sync") {
  for (const { file, markdown: text } of syncDocs(repo, markdown)) {
    writeFileSync(at(file), text);
    console.log(`updated ${file}`);
  }
}
const problems = checkDocs(repo, markdown);
for (const page of markdown) {
  const { files } = scratchFiles(page, repo.read(page) ?? "");
  const started = Date.now();
  problems.push(...typecheckScratch(page, files, repoToolchain(root)));
  if (files.length > 0) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${page}: scratch project (${files.map(({ path }) => path).join(", ")}) checked in ${seconds} s`,
    );
  }
}
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) process.exit(1);
console.log(`docs ok: ${markdown.join(", ")}`);
