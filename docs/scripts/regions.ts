/**
 * Reads the named regions out of a source file: `// #region <name>` … `// #endregion <name>`, the same
 * markers editors fold on, so marking code for the tutorial costs the source nothing but two comments.
 */

const OPEN = /^\s*\/\/\s*#region\s+(\S+)\s*$/;
const CLOSE = /^\s*\/\/\s*#endregion(?:\s+(\S+))?\s*$/;

export type ParsedRegions = {
  /** Region name → its text: marker lines of nested regions removed, common indentation removed. */
  regions: Map<string, string>;
  /** Broken markers, each naming its 1-based line, so a typo in a marker is reported, not ignored. */
  errors: string[];
};

type OpenRegion = { name: string; line: number; lines: string[] };

export function parseRegions(source: string): ParsedRegions {
  const regions = new Map<string, string>();
  const errors: string[] = [];
  const open: OpenRegion[] = [];

  source.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const opening = OPEN.exec(text);
    if (opening?.[1] !== undefined) {
      const name = opening[1];
      if (regions.has(name) || open.some((region) => region.name === name)) {
        errors.push(`line ${line}: region "${name}" is defined twice`);
      }
      open.push({ name, line, lines: [] });
      return;
    }
    const closing = CLOSE.exec(text);
    if (closing) {
      const name = closing[1];
      const innermost = open.at(-1);
      if (innermost === undefined) {
        errors.push(
          `line ${line}: #endregion${name === undefined ? "" : ` ${name}`} has no matching #region`,
        );
      } else if (name === undefined || name !== innermost.name) {
        // Requiring the name makes a misplaced end marker an error instead of a silently shorter snippet.
        errors.push(
          `line ${line}: expected "#endregion ${innermost.name}" (opened on line ${innermost.line})`,
        );
      } else {
        open.pop();
        if (!regions.has(name)) regions.set(name, tidy(innermost.lines));
      }
      return;
    }
    for (const region of open) region.lines.push(text);
  });

  for (const region of open) {
    errors.push(`line ${region.line}: region "${region.name}" is never closed`);
  }
  return { regions, errors };
}

/** Drops blank edge lines and the indentation all lines share, so a snippet from inside a block reads flush. */
function tidy(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start++;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end--;
  const body = lines.slice(start, end);
  const indents = body
    .filter((line) => line.trim() !== "")
    .map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const shared = indents.length === 0 ? 0 : Math.min(...indents);
  return body.map((line) => line.slice(shared).trimEnd()).join("\n");
}
