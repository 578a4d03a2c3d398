/**
 * Finds a top-level declaration by name in TypeScript or JavaScript source, so the tutorial can quote code
 * by symbol and product files carry no markers. TypeScript 7 has no compiler API; Vite's `parseSync` (the
 * oxc parser Vite builds with) gives exact ranges for any syntax a scanner could trip on (regex literals,
 * JSX text, template literals), with offsets into the JavaScript string.
 */
import { parseSync } from "vite";

type Named = { type: string; name?: string } | null | undefined;
type Statement = {
  type: string;
  start: number;
  end: number;
  id?: Named;
  declaration?: Statement | null;
  declarations?: Array<{ id: Named }>;
  expression?: { type: string; callee?: { type: string; object?: Named } };
};

/** The names a top-level statement declares: `default` for `export default`, each name of `const a, b`. */
function declaredNames(statement: Statement): string[] {
  if (statement.type === "ExportDefaultDeclaration") {
    const name = statement.declaration?.id?.name;
    return name === undefined ? ["default"] : ["default", name];
  }
  const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
  const ids = declaration?.declarations?.map((declarator) => declarator.id) ?? [declaration?.id];
  return ids.flatMap((id) => (id?.type === "Identifier" && id.name !== undefined ? [id.name] : []));
}

/** `http.route(…)` right after `const http = …` belongs to it: a Convex router is built that way. */
function usesName(statement: Statement | undefined, name: string): boolean {
  const callee = statement?.expression?.callee;
  return callee?.type === "MemberExpression" && callee.object?.name === name;
}

export type Found = { code: string } | { error: string };

/**
 * The declaration's text: its leading comments (JSDoc or `//` lines directly above), `export`, the
 * declaration itself, and a comment ending its last line. Overloads come together, from the first
 * signature to the implementation, as do calls on the name directly after it.
 */
export function findDeclaration(source: string, name: string, filename = "source.ts"): Found {
  const { program, comments, errors } = parseSync(filename, source);
  if (errors.length > 0) return { error: `${filename} does not parse: ${errors[0]?.message}` };
  const body = program.body as unknown as Statement[];
  const first = body.findIndex((statement) => declaredNames(statement).includes(name));
  if (first === -1) return { error: `${filename} has no top-level declaration named ${name}` };
  let last = first;
  for (let index = first + 1; index < body.length; index++) {
    const next = body[index];
    if (next !== undefined && (declaredNames(next).includes(name) || usesName(next, name))) last = index;
    else break;
  }

  const lineStart = (offset: number) => source.lastIndexOf("\n", offset - 1) + 1;
  let start = body[first]?.start ?? 0;
  for (const comment of [...comments].reverse()) {
    if (comment.end > start) continue;
    const gap = source.slice(comment.end, start);
    const ownLine = source.slice(lineStart(comment.start), comment.start).trim() === "";
    if (gap.trim() !== "" || gap.split("\n").length > 2 || !ownLine) break;
    start = comment.start;
  }
  let end = body[last]?.end ?? source.length;
  const trailing = comments.find((comment) => comment.start >= end);
  if (trailing !== undefined && !/\S|\n/.test(source.slice(end, trailing.start))) end = trailing.end;
  return { code: source.slice(lineStart(start), end) };
}
