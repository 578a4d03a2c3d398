/**
 * The docs check and sync, as pure functions over a read-only view of the repository: tests run them on
 * in-memory files, docs.ts on the real tree. Every problem names its file and, where it has one, its line.
 */
import { posix } from "node:path";
import { type Found, findDeclaration } from "./declaration.ts";

export type Repo = {
  /** A file's text; undefined for a missing file or a directory. */
  read(path: string): string | undefined;
  /** What a directory holds; nothing when it does not exist or is a file. */
  list(dir: string): string[];
};
export type Problem = { file: string; line?: number; message: string };

const TUTORIAL = "docs/tutorial.md";
const IMAGES = "docs/images";
/** About half an hour of reading. */
export const MAX_TUTORIAL_WORDS = 4500;

export const formatProblem = ({ file, line, message }: Problem) =>
  `${file}${line === undefined ? "" : `:${line}`}: ${message}`;

const MARKER = /^<!--\s*code:\s*([^\s#]+)(?:#(\S+))?\s*-->$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const closes = (text: string, fence: string) =>
  new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(text);

/** Each line (`number` 1-based) that is not part of a fenced code block. */
function proseLines(markdown: string): Array<{ text: string; number: number }> {
  let fence: string | undefined;
  return markdown.split("\n").flatMap((text, index) => {
    if (fence !== undefined) {
      if (closes(text, fence)) fence = undefined;
      return [];
    }
    fence = FENCE.exec(text)?.[1];
    return fence === undefined ? [{ text, number: index + 1 }] : [];
  });
}

type Block = { close: number; info: string; body: string };
type Quote = { line: number; path: string; symbol?: string; block?: Block };

/** Each marker with the block that follows it; `line` is also the index of the block's opening fence. */
function findQuotes(markdown: string): Quote[] {
  const lines = markdown.split("\n");
  return proseLines(markdown).flatMap(({ text, number: line }) => {
    const [, path, symbol] = MARKER.exec(text.trim()) ?? [];
    if (path === undefined) return [];
    const [, fence, info = ""] = FENCE.exec(lines[line] ?? "") ?? [];
    if (fence === undefined) return [{ line, path, symbol }];
    const close = lines.findIndex((text, index) => index > line && closes(text, fence));
    const body = lines.slice(line + 1, close === -1 ? undefined : close).join("\n");
    return [{ line, path, symbol, block: { close, info: info.trim(), body } }];
  });
}

const SCRATCH = /^<!--\s*scratch:\s*(\S+)\s*-->$/;
/** Where a scratch file may go: a module of the scratch project's `convex/` folder. */
const SCRATCH_PATH = /^convex\/(?:[\w-]+\/)*[\w-]+\.ts$/;

/** A block of a minimal version the reader pastes: its path in a fresh Convex project, and its fence's line. */
export type ScratchFile = { path: string; code: string; line: number };

/**
 * The blocks marked `<!-- scratch: convex/file.ts -->`: together they are a Convex project of their own, which
 * the check type-checks (scratch.ts). A marker without a block, a path outside `convex/` or a path used twice
 * is a problem here.
 */
export function scratchFiles(file: string, markdown: string): { files: ScratchFile[]; problems: Problem[] } {
  const lines = markdown.split("\n");
  const files: ScratchFile[] = [];
  const problems: Problem[] = [];
  for (const { text, number: line } of proseLines(markdown)) {
    const [, path] = SCRATCH.exec(text.trim()) ?? [];
    if (path === undefined) continue;
    const report = (message: string) => problems.push({ file, line, message: `scratch ${path}: ${message}` });
    const [, fence] = FENCE.exec(lines[line] ?? "") ?? [];
    const close =
      fence === undefined ? -1 : lines.findIndex((text, index) => index > line && closes(text, fence));
    if (!SCRATCH_PATH.test(path))
      report("write a path in the project's convex/ folder, such as convex/users.ts");
    else if (fence === undefined) report("no code block directly after the marker");
    else if (close === -1) report("its code block is never closed");
    else if (files.some((other) => other.path === path)) report("a second block for the same file");
    else files.push({ path, code: lines.slice(line + 1, close).join("\n"), line: line + 1 });
  }
  return { files, problems };
}

function quoted(repo: Repo, path: string, symbol: string | undefined): Found {
  const source = repo.read(path)?.replaceAll("\r\n", "\n");
  if (source === undefined) return { error: `${path} does not exist` };
  if (symbol === undefined) return { code: source.replace(/\n+$/, "") };
  return findDeclaration(source, symbol, path);
}

/** Rewrites each quoted block from its source (inserting one where a marker has none). */
function syncQuotes(markdown: string, repo: Repo): string {
  const lines = markdown.split("\n");
  // Bottom-up, so the indexes of earlier blocks stay valid while later ones change length.
  for (const { line, path, symbol, block } of findQuotes(markdown).reverse()) {
    const found = quoted(repo, path, symbol);
    if ("error" in found || block?.close === -1) continue;
    const fence = "`".repeat(1 + Math.max(2, ...(found.code.match(/`+/g) ?? []).map((run) => run.length)));
    const info = block?.info || (/\.(\w+)$/.exec(path)?.[1] ?? "");
    lines.splice(
      line,
      block ? block.close - line + 1 : 0,
      `${fence}${info}`,
      ...found.code.split("\n"),
      fence,
    );
  }
  return lines.join("\n");
}

/** The repo-relative path and anchor a link in `from` points at (`/` is the repository root, as on GitHub). */
function resolve(from: string, target: string): { path: string; anchor?: string } {
  const [rawPath = "", anchor] = target.split("#");
  const path = decodeURIComponent(rawPath.split("?")[0] ?? "");
  const joined = path.startsWith("/") ? path.slice(1) : posix.join(posix.dirname(from), path);
  return { path: path === "" ? from : posix.normalize(joined).replace(/\/$/, ""), anchor };
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    const slug = heading
      ?.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    let count = 0;
    while (slug !== undefined && anchors.has(count === 0 ? slug : `${slug}-${count}`)) count++;
    if (slug !== undefined) anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
/** A test cited as proof: a link to its file, then `› “test name”`, optionally `, › “another”`. */
const CITED = /\]\(([^)\s]+)\)((?:\s*,?\s*›\s*“[^”]+”)+)/g;

/** One page's problems: its quoted code, relative links and anchors, and cited tests. */
function checkPage(file: string, markdown: string, repo: Repo, shown: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const report = (line: number, message: string) => problems.push({ file, line, message });
  for (const { line, path, symbol, block } of findQuotes(markdown)) {
    const found = quoted(repo, path, symbol);
    const name = `code ${path}${symbol ? `#${symbol}` : ""}`;
    if ("error" in found) report(line, `${name}: ${found.error}`);
    else if (block === undefined)
      report(line, `${name}: no code block directly after the marker (run pnpm docs:sync)`);
    else if (block.close === -1) report(line, `${name}: its code block is never closed`);
    else if (block.body !== found.code) report(line, `${name}: differs from its source (run pnpm docs:sync)`);
  }
  for (const { text, number: line } of proseLines(markdown)) {
    if (/^<!--\s*(code|snippet)\b/.test(text.trim()) && !MARKER.test(text.trim()))
      report(line, "write a code marker as <!-- code: path#symbol -->");
    if (/^<!--\s*scratch\b/.test(text.trim()) && !SCRATCH.test(text.trim()))
      report(line, "write a scratch marker as <!-- scratch: convex/file.ts -->");
    // Links with a scheme are left alone: checking them needs a network.
    for (const [, target = ""] of text.replace(/(`+)[^`]*?\1/g, "").matchAll(LINK)) {
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(target)) continue;
      const { path, anchor } = resolve(file, target);
      const page = path === file ? markdown : repo.read(path);
      shown.add(path);
      if (path.startsWith("..") || (page === undefined && repo.list(path).length === 0))
        report(line, `link ${target}: ${path} does not exist`);
      else if (anchor !== undefined && path.endsWith(".md") && !headingAnchors(page ?? "").has(anchor))
        report(line, `link ${target}: ${path} has no heading #${anchor}`);
    }
    // A cited name must still be in its file, so "this test proves it" cannot outlive a renamed test.
    if (/›\s*“[^”]*$/.test(text)) report(line, "keep a cited test's › “name” on one line");
    for (const [, target = "", names = ""] of text.matchAll(CITED)) {
      const { path } = resolve(file, target);
      const source = repo.read(path); // a missing file is reported as a link
      for (const [, name] of names.matchAll(/“([^”]+)”/g))
        if (source !== undefined && !source.includes(name ?? ""))
          report(line, `test “${name}” not found in ${path}`);
    }
  }
  return problems;
}

/** Words of prose and tables: everything outside code blocks and HTML comments. */
export const proseWords = (markdown: string) =>
  proseLines(markdown)
    .filter(({ text }) => !text.startsWith("<!--"))
    .reduce((words, { text }) => words + (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’._/-]*/gu)?.length ?? 0), 0);

/** Every problem in the given Markdown files, and each image in docs/images that none of them shows. */
export function checkDocs(repo: Repo, files: readonly string[]): Problem[] {
  const shown = new Set<string>();
  const problems = files.flatMap((file): Problem[] => {
    const markdown = repo.read(file);
    if (markdown === undefined) return [{ file, message: "does not exist" }];
    const words = file === TUTORIAL ? proseWords(markdown) : 0;
    const tooLong = `${words} words of prose and tables, over the ${MAX_TUTORIAL_WORDS} allowed`;
    return [
      ...checkPage(file, markdown, repo, shown),
      ...scratchFiles(file, markdown).problems,
      ...(words > MAX_TUTORIAL_WORDS ? [{ file, message: tooLong }] : []),
    ];
  });
  const unshown = repo.list(IMAGES).filter((name) => !shown.has(`${IMAGES}/${name}`));
  return [
    ...problems,
    ...unshown.map((name) => ({ file: `${IMAGES}/${name}`, message: "no page shows this image" })),
  ];
}

/** The files whose quoted code changes when re-copied from the sources, with their new text. */
export function syncDocs(repo: Repo, files: readonly string[]): Array<{ file: string; markdown: string }> {
  return files.flatMap((file) => {
    const markdown = repo.read(file) ?? "";
    const synced = syncQuotes(markdown, repo);
    return synced === markdown ? [] : [{ file, markdown: synced }];
  });
}
