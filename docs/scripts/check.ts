/**
 * The docs check and sync, as pure functions over a read-only view of the repository: tests run them on
 * in-memory files, docs.ts on the real tree. Every problem names its file and, where it has one, its line.
 */
import { posix } from "node:path";
import { type Found, findDeclaration } from "./declaration.ts";

export type Repo = {
  /** A file's text; undefined for a missing file or a directory. */
  read(path: string): string | undefined;
  exists(path: string): boolean;
  /** The names of the files in a directory; none when it does not exist. */
  list(dir: string): string[];
};

export type Problem = { file: string; line?: number; message: string };

export const TUTORIAL = "docs/tutorial.md";
export const IMAGES = "docs/images";
/** About half an hour of reading. */
export const MAX_TUTORIAL_WORDS = 4500;

export function formatProblem({ file, line, message }: Problem): string {
  return `${file}${line === undefined ? "" : `:${line}`}: ${message}`;
}

const MARKER = /^<!--\s*code:\s*([^\s#]+)(?:#(\S+))?\s*-->$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const closes = (text: string, fence: string) =>
  new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(text);

type Line = { text: string; index: number; fenced: boolean };

/** Each line with its 0-based index and whether it is part of a fenced code block (fences included). */
function markdownLines(markdown: string): Line[] {
  let fence: string | undefined;
  return markdown.split("\n").map((text, index) => {
    if (fence !== undefined) {
      if (closes(text, fence)) fence = undefined;
      return { text, index, fenced: true };
    }
    fence = FENCE.exec(text)?.[1];
    return { text, index, fenced: fence !== undefined };
  });
}

type Block = { open: number; close: number; info: string; body: string };
type Quote = { line: number; path: string; symbol: string | undefined; block: Block | undefined };

function findQuotes(markdown: string): Quote[] {
  const lines = markdown.split("\n");
  return markdownLines(markdown).flatMap(({ text, index, fenced }) => {
    const marker = fenced ? null : MARKER.exec(text.trim());
    if (!marker?.[1]) return [];
    const quote: Quote = { line: index + 1, path: marker[1], symbol: marker[2], block: undefined };
    const fence = FENCE.exec(lines[index + 1] ?? "");
    if (fence?.[1] !== undefined) {
      const open = index + 1;
      const close = lines.findIndex((line, at) => at > open && closes(line, fence[1] ?? ""));
      const body = lines.slice(open + 1, close === -1 ? undefined : close).join("\n");
      quote.block = { open, close, info: fence[2]?.trim() ?? "", body };
    }
    return [quote];
  });
}

function quoted(repo: Repo, path: string, symbol: string | undefined): Found {
  const source = repo.read(path)?.replaceAll("\r\n", "\n");
  if (source === undefined) return { error: `${path} does not exist` };
  if (symbol === undefined) return { code: source.replace(/\n+$/, "") };
  if (!/\.[cm]?[jt]sx?$/.test(path)) return { error: `only JavaScript and TypeScript are quoted by symbol` };
  return findDeclaration(source, symbol, path);
}

/** Names the first differing line, so the reader sees what drifted without diffing by hand. */
function firstDifference(shown: string, source: string): string {
  const [a, b] = [shown.split("\n"), source.split("\n")];
  const at = a.findIndex((line, index) => line !== b[index]);
  const index = at === -1 ? a.length : at;
  const quote = (line: string | undefined) => JSON.stringify(line ?? "(nothing)");
  return `block line ${index + 1} is ${quote(a[index])}, the source has ${quote(b[index])}`;
}

function quoteProblems(file: string, markdown: string, repo: Repo): Problem[] {
  const problems: Problem[] = markdownLines(markdown)
    .filter(
      ({ text, fenced }) => !fenced && /^<!--\s*(code|snippet)\b/.test(text) && !MARKER.test(text.trim()),
    )
    .map(({ index }) => ({
      file,
      line: index + 1,
      message: "write a code marker as <!-- code: path#symbol -->",
    }));
  for (const { line, path, symbol, block } of findQuotes(markdown)) {
    const found = quoted(repo, path, symbol);
    let message: string | undefined;
    if ("error" in found) message = found.error;
    else if (block === undefined) message = "no code block directly after the marker (run pnpm docs:sync)";
    else if (block.close === -1) message = "its code block is never closed";
    else if (block.body !== found.code)
      message = `differs from the source: ${firstDifference(block.body, found.code)} (run pnpm docs:sync)`;
    if (message)
      problems.push({ file, line, message: `code ${path}${symbol ? `#${symbol}` : ""}: ${message}` });
  }
  return problems;
}

const LANGUAGES: Record<string, string> = {
  js: "js",
  mjs: "js",
  ts: "ts",
  tsx: "tsx",
  json: "json",
  yml: "yaml",
};

/** Rewrites each quoted block from its source (inserting one where a marker has none). */
function syncQuotes(markdown: string, repo: Repo): string {
  const lines = markdown.split("\n");
  // Bottom-up, so the indexes of earlier blocks stay valid while later ones change length.
  for (const { line, path, symbol, block } of findQuotes(markdown).reverse()) {
    const found = quoted(repo, path, symbol);
    if ("error" in found || block?.close === -1) continue;
    const longest = Math.max(2, ...[...found.code.matchAll(/`+/g)].map((run) => run[0].length));
    const fence = "`".repeat(longest + 1);
    const info = block?.info || LANGUAGES[path.split(".").pop() ?? ""] || "";
    const removed = block === undefined ? 0 : block.close - block.open + 1;
    lines.splice(line, removed, `${fence}${info}`, ...found.code.split("\n"), fence);
  }
  return lines.join("\n");
}

type Link = { line: number; target: string };

/** Relative link, image and HTML src/href targets outside code; links with a scheme need a network. */
function findLinks(markdown: string): Link[] {
  const patterns = [/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /\b(?:src|href)="([^"]+)"/g];
  return markdownLines(markdown).flatMap(({ text, index, fenced }) => {
    if (fenced) return [];
    const prose = text.replace(/(`+)[^`]*?\1/g, "");
    const targets = [...patterns.flatMap((pattern) => [...prose.matchAll(pattern)].map((match) => match[1]))];
    targets.push(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/.exec(prose)?.[1]);
    return targets.flatMap((target) =>
      target && !/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(target) ? [{ line: index + 1, target }] : [],
    );
  });
}

/** Repo-relative path and anchor of a link in `from`; undefined when it climbs out of the repository. */
function resolve(from: string, target: string): { path: string; anchor?: string } | undefined {
  const [rawPath = "", anchor] = target.split("#");
  const decoded = decodeURIComponent(rawPath.split("?")[0] ?? "");
  const path =
    decoded === ""
      ? from
      : posix.normalize(
          decoded.startsWith("/") ? decoded.slice(1) : posix.join(posix.dirname(from), decoded),
        );
  if (path === ".." || path.startsWith("../")) return undefined;
  return {
    path: path.replace(/\/$/, ""),
    anchor: anchor === undefined ? undefined : decodeURIComponent(anchor),
  };
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text, fenced } of markdownLines(markdown)) {
    const heading = fenced ? undefined : /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/`/g, "")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function linkProblems(file: string, markdown: string, repo: Repo, shown: Set<string>): Problem[] {
  return findLinks(markdown).flatMap(({ line, target }) => {
    const resolved = resolve(file, target);
    if (resolved === undefined)
      return [{ file, line, message: `link ${target} points outside the repository` }];
    shown.add(resolved.path);
    if (!repo.exists(resolved.path))
      return [{ file, line, message: `link ${target}: ${resolved.path} does not exist` }];
    const page = resolved.path === file ? markdown : repo.read(resolved.path);
    if (resolved.anchor === undefined || !resolved.path.endsWith(".md") || page === undefined) return [];
    if (headingAnchors(page).has(resolved.anchor)) return [];
    return [{ file, line, message: `link ${target}: ${resolved.path} has no heading #${resolved.anchor}` }];
  });
}

/**
 * Tests cited as proof: a link to a test file, then `› “test name”` (more may follow: `, › “another”`).
 * Each name must still be in that file, so "this test proves it" cannot outlive a renamed test.
 */
function testReferenceProblems(file: string, markdown: string, repo: Repo): Problem[] {
  return markdownLines(markdown).flatMap(({ text, index, fenced }): Problem[] => {
    if (fenced) return [];
    const line = index + 1;
    if (/›\s*“[^”]*$/.test(text))
      return [{ file, line, message: "keep a cited test's › “name” on one line" }];
    return [...text.matchAll(/\]\(([^)\s]+)\)((?:\s*,?\s*›\s*“[^”]+”)+)/g)].flatMap(
      ([, target = "", names = ""]) => {
        const path = resolve(file, target)?.path;
        const source = path === undefined ? undefined : repo.read(path);
        // A missing file is reported by the link check.
        if (source === undefined) return [];
        return [...names.matchAll(/“([^”]+)”/g)]
          .filter(([, name = ""]) => !source.includes(name))
          .map(([, name]) => ({ file, line, message: `test “${name}” not found in ${path}` }));
      },
    );
  });
}

/** Words of prose and tables: everything outside code blocks and HTML comments. */
export function proseWords(markdown: string): number {
  return markdownLines(markdown)
    .filter(({ text, fenced }) => !fenced && !text.startsWith("<!--"))
    .reduce((words, { text }) => words + (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’._/-]*/gu)?.length ?? 0), 0);
}

/** Every problem in the given Markdown files, plus images in docs/images that none of them shows. */
export function checkDocs(repo: Repo, files: readonly string[]): Problem[] {
  const shown = new Set<string>();
  const problems = files.flatMap((file) => {
    const markdown = repo.read(file);
    if (markdown === undefined) return [{ file, message: "does not exist" }];
    const words = file === TUTORIAL ? proseWords(markdown) : 0;
    return [
      ...quoteProblems(file, markdown, repo),
      ...linkProblems(file, markdown, repo, shown),
      ...testReferenceProblems(file, markdown, repo),
      ...(words > MAX_TUTORIAL_WORDS
        ? [{ file, message: `${words} words of prose and tables, over the ${MAX_TUTORIAL_WORDS} allowed` }]
        : []),
    ];
  });
  for (const name of repo.list(IMAGES)) {
    const path = `${IMAGES}/${name}`;
    if (!shown.has(path))
      problems.push({ file: path, message: "no page shows this image: show it or delete it" });
  }
  return problems;
}

/** The files whose quoted code changes when re-copied from the sources, with their new text. */
export function syncDocs(repo: Repo, files: readonly string[]): Array<{ file: string; markdown: string }> {
  return files.flatMap((file) => {
    const markdown = repo.read(file);
    const synced = markdown === undefined ? markdown : syncQuotes(markdown, repo);
    return synced === markdown || synced === undefined ? [] : [{ file, markdown: synced }];
  });
}
