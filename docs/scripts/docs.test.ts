/** The real tutorial and README, checked the same way the in-memory tests check their fixtures. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocs, formatProblem, referencedFiles } from "./check-docs.ts";
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
  it("embeds its code from the sources rather than by hand", () => {
    const tutorial = files.read("docs/tutorial.md") ?? "";
    expect(findSnippets(tutorial).length).toBeGreaterThan(0);
  });
});
