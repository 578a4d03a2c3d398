/** The real tutorial and README, checked the same way the in-memory tests check their fixtures. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocs, formatProblem, referencedFiles } from "./check-docs.ts";
import { findLinks } from "./links.ts";
import { findSnippets } from "./markdown-snippets.ts";
import { markdownFiles, repoFiles, repoRoot } from "./repo-files.ts";
import { notCovered, repoRelativeInputs } from "./turbo-inputs.ts";

const files = repoFiles();
const markdown = markdownFiles();

describe("the repository's docs", () => {
  it("cover the tutorial and the README", () => {
    expect(markdown).toEqual(expect.arrayContaining(["docs/tutorial.md", "README.md"]));
  });

  it("have every snippet in step with its source and every relative link resolving", () => {
    expect(checkDocs(files, markdown).map(formatProblem)).toEqual([]);
  });

  it("are read from files that docs' turbo test inputs hash, so a source edit re-runs this check", () => {
    const turbo = JSON.parse(readFileSync(join(repoRoot, "docs/turbo.json"), "utf8"));
    const globs = repoRelativeInputs(turbo.tasks.test.inputs, "docs");
    expect(notCovered([...referencedFiles(files, markdown), ...markdown], globs)).toEqual([]);
  });
});

describe("the tutorial", () => {
  const tutorial = files.read("docs/tutorial.md") ?? "";

  it("embeds its code from the sources rather than by hand", () => {
    expect(findSnippets(tutorial).length).toBeGreaterThan(0);
  });

  it("shows every screenshot in docs/images, so none is left behind stale", () => {
    const shown = new Set(findLinks(tutorial).map((link) => link.target));
    const images = readdirSync(join(repoRoot, "docs/images")).map((name) => `images/${name}`);
    expect(images.filter((image) => !shown.has(image))).toEqual([]);
  });

  it("stays a read of under half an hour: at most 5,000 words of prose and tables", () => {
    expect(proseWords(tutorial)).toBeLessThanOrEqual(5000);
  });
});

/** Words outside fenced code blocks and snippet markers. */
function proseWords(markdown: string): number {
  let fenced = false;
  let words = 0;
  for (const line of markdown.split("\n")) {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    else if (!fenced && !line.startsWith("<!--"))
      words += line.match(/[\p{L}\p{N}][\p{L}\p{N}'’._/-]*/gu)?.length ?? 0;
  }
  return words;
}
