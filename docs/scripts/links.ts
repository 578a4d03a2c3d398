/**
 * Relative links and heading anchors in Markdown, so the check can tell when a link points at a file or
 * heading that is not there. External links (with a scheme) are out of scope: checking them needs a network.
 */
import { posix } from "node:path";

export type Link = {
  /** 1-based line of the link. */
  line: number;
  /** The link target as written, e.g. `../packages/backend/convex/http.ts` or `#results`. */
  target: string;
};

const INLINE = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/;
const HTML = /\b(?:src|href)="([^"]+)"/g;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Markdown lines outside fenced code blocks, with inline code spans blanked, paired with line numbers. */
function proseLines(markdown: string): Array<{ line: number; text: string }> {
  const result: Array<{ line: number; text: string }> = [];
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const opening = FENCE.exec(text)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length)
        fence = undefined;
      return;
    }
    if (opening !== undefined) {
      fence = opening;
      return;
    }
    result.push({ line: index + 1, text: text.replace(/(`+)[^`]*?\1/g, "") });
  });
  return result;
}

/** Every relative link target in the prose (inline, image, reference definition, or HTML src/href). */
export function findLinks(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const targets = [
      ...[...text.matchAll(INLINE)].map((match) => match[1]),
      ...[...text.matchAll(HTML)].map((match) => match[1]),
      DEFINITION.exec(text)?.[1],
    ];
    for (const target of targets) {
      if (target !== undefined && target !== "" && !SCHEME.test(target)) links.push({ line, target });
    }
  }
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file's headings produce; repeated headings get `-1`, `-2`… as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = slugify(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

export type ResolvedLink = { path: string; anchor: string | undefined };

/**
 * Turns a link in `fromFile` (repo-relative) into a repo-relative path plus anchor. A leading `/` means
 * the repository root, as on GitHub. Returns undefined for a link that climbs out of the repository.
 */
export function resolveLink(fromFile: string, target: string): ResolvedLink | undefined {
  const hash = target.indexOf("#");
  const rawPath = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const decoded = decodeURIComponent(rawPath.split("?")[0] ?? "");
  if (decoded === "") return { path: fromFile, anchor };
  const joined = decoded.startsWith("/")
    ? posix.normalize(decoded.slice(1))
    : posix.join(posix.dirname(fromFile), decoded);
  if (joined === ".." || joined.startsWith("../")) return undefined;
  return { path: joined.replace(/\/$/, "") || ".", anchor };
}
