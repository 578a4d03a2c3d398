/**
 * `tsx scripts/snippets.ts sync` re-copies every embedded snippet from its source region;
 * `tsx scripts/snippets.ts check` reports drifted snippets and broken links and exits 1 if there are any.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkDocs, formatProblem, syncDocs } from "./check-docs.ts";
import { markdownFiles, repoFiles, repoRoot } from "./repo-files.ts";

const mode = process.argv[2];
if (mode !== "sync" && mode !== "check") {
  console.error("usage: tsx scripts/snippets.ts sync|check");
  process.exit(2);
}

const files = repoFiles();
const markdown = markdownFiles();
if (mode === "sync") {
  for (const { file, markdown: text } of syncDocs(files, markdown)) {
    writeFileSync(join(repoRoot, file), text);
    console.log(`updated ${file}`);
  }
}

const problems = checkDocs(files, markdown);
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) process.exit(1);
console.log(`docs ok: ${markdown.length} Markdown files checked`);
