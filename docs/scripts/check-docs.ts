/**
 * The docs check and sync, as pure functions over a read-only view of the repository, so tests can run
 * them on in-memory files and the CLI on the real tree.
 */
import { findLinks, headingAnchors, resolveLink } from "./links.ts";
import { findSnippets, rewriteSnippets } from "./markdown-snippets.ts";
import { parseRegions } from "./regions.ts";
import { findTestReferences, findWrappedReferences } from "./test-references.ts";

/** Repo-relative POSIX paths. `read` returns undefined for a missing file or a directory. */
export type RepoFiles = {
  read(path: string): string | undefined;
  exists(path: string): boolean;
};

export type Problem = { file: string; line: number; message: string };

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

type RegionLookup = { text: string } | { error: string };

/** Looks up a region, caching each source file's parse so a file embedded ten times is parsed once. */
function regionReader(files: RepoFiles): (source: string, region: string) => RegionLookup {
  const parsed = new Map<string, ReturnType<typeof parseRegions> | undefined>();
  return (source, region) => {
    if (!parsed.has(source)) {
      const text = files.read(source);
      parsed.set(source, text === undefined ? undefined : parseRegions(text));
    }
    const regions = parsed.get(source);
    if (regions === undefined) return { error: `snippet source ${source} does not exist` };
    const text = regions.regions.get(region);
    if (text !== undefined) return { text };
    const broken = regions.errors.length > 0 ? ` (broken markers: ${regions.errors.join("; ")})` : "";
    return { error: `region "${region}" not found in ${source}${broken}` };
  };
}

function snippetProblems(file: string, markdown: string, lookup: ReturnType<typeof regionReader>): Problem[] {
  const problems: Problem[] = [];
  for (const snippet of findSnippets(markdown)) {
    const name = `${snippet.source}#${snippet.region}`;
    const found = lookup(snippet.source, snippet.region);
    if ("error" in found) {
      problems.push({ file, line: snippet.line, message: `snippet ${name}: ${found.error}` });
    } else if (snippet.unclosed) {
      problems.push({ file, line: snippet.line, message: `snippet ${name}: its code block is never closed` });
    } else if (snippet.block === undefined) {
      const message = `snippet ${name}: the marker is not directly followed by a code block (run pnpm docs:sync)`;
      problems.push({ file, line: snippet.line, message });
    } else if (snippet.block.body !== found.text) {
      const message = `snippet ${name} differs from its source${firstDifference(snippet.block.body, found.text)} (run pnpm docs:sync)`;
      problems.push({ file, line: snippet.line, message });
    }
  }
  return problems;
}

/** Names the first differing line, so a reader sees what drifted without diffing by hand. */
function firstDifference(shown: string, source: string): string {
  const shownLines = shown.split("\n");
  const sourceLines = source.split("\n");
  for (let index = 0; index < Math.max(shownLines.length, sourceLines.length); index++) {
    if (shownLines[index] !== sourceLines[index]) {
      return `: block line ${index + 1} is ${JSON.stringify(shownLines[index] ?? "(missing)")}, source has ${JSON.stringify(sourceLines[index] ?? "(missing)")}`;
    }
  }
  return "";
}

function linkProblems(file: string, markdown: string, files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  for (const link of findLinks(markdown)) {
    const resolved = resolveLink(file, link.target);
    if (resolved === undefined) {
      problems.push({ file, line: link.line, message: `link ${link.target} points outside the repository` });
      continue;
    }
    if (!files.exists(resolved.path)) {
      problems.push({
        file,
        line: link.line,
        message: `link ${link.target}: ${resolved.path} does not exist`,
      });
      continue;
    }
    if (resolved.anchor === undefined || !resolved.path.endsWith(".md")) continue;
    const target = resolved.path === file ? markdown : files.read(resolved.path);
    if (target !== undefined && !headingAnchors(target).has(resolved.anchor)) {
      const message = `link ${link.target}: ${resolved.path} has no heading #${resolved.anchor}`;
      problems.push({ file, line: link.line, message });
    }
  }
  return problems;
}

function testReferenceProblems(file: string, markdown: string, files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  for (const reference of findTestReferences(markdown)) {
    const resolved = resolveLink(file, reference.target);
    const source = resolved === undefined ? undefined : files.read(resolved.path);
    // A missing file is already reported by the link check.
    if (source === undefined || source.includes(reference.name)) continue;
    const message = `test “${reference.name}” not found in ${resolved?.path}`;
    problems.push({ file, line: reference.line, message });
  }
  for (const line of findWrappedReferences(markdown)) {
    problems.push({
      file,
      line,
      message: "test reference wraps onto the next line: keep › “name” on one line",
    });
  }
  return problems;
}

/**
 * Every problem in the given Markdown files: drifted, missing or unclosed snippets, broken links, and
 * test references naming a test that is not in the linked file.
 */
export function checkDocs(files: RepoFiles, markdownFiles: readonly string[]): Problem[] {
  const lookup = regionReader(files);
  return markdownFiles.flatMap((file) => {
    const markdown = files.read(file);
    if (markdown === undefined) return [{ file, line: 0, message: "file does not exist" }];
    return [
      ...snippetProblems(file, markdown, lookup),
      ...linkProblems(file, markdown, files),
      ...testReferenceProblems(file, markdown, files),
    ];
  });
}

/** The Markdown files whose snippets change when re-copied from their sources, with their new text. */
export function syncDocs(
  files: RepoFiles,
  markdownFiles: readonly string[],
): Array<{ file: string; markdown: string }> {
  const lookup = regionReader(files);
  const changed: Array<{ file: string; markdown: string }> = [];
  for (const file of markdownFiles) {
    const markdown = files.read(file);
    if (markdown === undefined) continue;
    const synced = rewriteSnippets(markdown, (source, region) => {
      const found = lookup(source, region);
      return "text" in found ? found.text : undefined;
    });
    if (synced !== markdown) changed.push({ file, markdown: synced });
  }
  return changed;
}

/**
 * Repo files the docs depend on: snippet sources and link targets outside `docs/`, for turbo's inputs.
 * Links to directories are left out: one disappears only with the hashed files inside it.
 */
export function referencedFiles(files: RepoFiles, markdownFiles: readonly string[]): string[] {
  const referenced = new Set<string>();
  for (const file of markdownFiles) {
    const markdown = files.read(file) ?? "";
    for (const snippet of findSnippets(markdown)) referenced.add(snippet.source);
    for (const link of findLinks(markdown)) {
      const resolved = resolveLink(file, link.target);
      if (resolved !== undefined) referenced.add(resolved.path);
    }
  }
  const isDirectory = (path: string) => files.exists(path) && files.read(path) === undefined;
  return [...referenced]
    .filter((path) => path !== "docs" && !path.startsWith("docs/") && !isDirectory(path))
    .sort();
}
