/**
 * Finds the embedded snippets in a Markdown file: a marker line `<!-- snippet: path#region -->` directly
 * followed by a fenced code block whose body is a copy of that region. Also rewrites those blocks.
 */

const MARKER = /^<!--\s*snippet:\s*([^\s#]+)#(\S+)\s*-->\s*$/;
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;

export type FencedBlock = {
  fence: string;
  info: string;
  /** 0-based indexes of the opening and closing fence lines. */
  open: number;
  close: number;
  body: string;
};

export type Snippet = {
  /** 1-based line of the marker, for error messages. */
  line: number;
  source: string;
  region: string;
  /** The block after the marker; undefined when the marker is not directly followed by one. */
  block: FencedBlock | undefined;
  /** Set when the block after the marker is opened but never closed. */
  unclosed?: true;
};

/** Index of the line closing the fence opened at `open`, or -1. */
function closingLine(lines: string[], open: number, fence: string): number {
  const closer = new RegExp(`^${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
  for (let index = open + 1; index < lines.length; index++) {
    if (closer.test(lines[index] ?? "")) return index;
  }
  return -1;
}

function blockAt(lines: string[], open: number): FencedBlock | "unclosed" | undefined {
  const opening = FENCE_OPEN.exec(lines[open] ?? "");
  if (opening?.[1] === undefined) return undefined;
  const fence = opening[1];
  const close = closingLine(lines, open, fence);
  if (close === -1) return "unclosed";
  return {
    fence,
    info: (opening[2] ?? "").trim(),
    open,
    close,
    body: lines.slice(open + 1, close).join("\n"),
  };
}

export function findSnippets(markdown: string): Snippet[] {
  const lines = markdown.split("\n");
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? "";
    const marker = MARKER.exec(text);
    if (marker?.[1] !== undefined && marker[2] !== undefined) {
      const found = blockAt(lines, index + 1);
      const snippet: Snippet = {
        line: index + 1,
        source: marker[1],
        region: marker[2],
        block: typeof found === "object" ? found : undefined,
      };
      if (found === "unclosed") snippet.unclosed = true;
      snippets.push(snippet);
      if (typeof found === "object") index = found.close;
      continue;
    }
    // A marker shown inside some other code block (as in the tutorial's own explanation) is just text.
    const other = blockAt(lines, index);
    if (typeof other === "object") index = other.close;
  }
  return snippets;
}

const LANGUAGES: Record<string, string> = {
  ts: "ts",
  tsx: "tsx",
  js: "js",
  mjs: "js",
  json: "json",
  yml: "yaml",
  yaml: "yaml",
  sh: "sh",
};

export function languageOf(path: string): string {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  return LANGUAGES[extension] ?? "";
}

/** A fence longer than any backtick run in the code, so code that contains ``` cannot end the block. */
export function fenceFor(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * Replaces each snippet's block with the text `regionText` returns for it (inserting a block when the
 * marker has none). Snippets whose region is unknown (`undefined`) are left as they are.
 */
export function rewriteSnippets(
  markdown: string,
  regionText: (source: string, region: string) => string | undefined,
): string {
  const lines = markdown.split("\n");
  // Bottom-up, so earlier line indexes stay valid while later blocks change length.
  for (const snippet of findSnippets(markdown).reverse()) {
    const code = regionText(snippet.source, snippet.region);
    if (code === undefined || snippet.unclosed) continue;
    const fence = fenceFor(code);
    const info = snippet.block?.info || languageOf(snippet.source);
    const replacement = [`${fence}${info}`, ...code.split("\n"), fence];
    const start = snippet.line; // the line after the marker, 0-based
    const removed = snippet.block === undefined ? 0 : snippet.block.close - snippet.block.open + 1;
    lines.splice(start, removed, ...replacement);
  }
  return lines.join("\n");
}
