import { describe, expect, it } from "vitest";
import { findDeclaration } from "./declaration.ts";

const fixture = [
  'import x from "x";', // 1
  "",
  "/** The module: a blank line parts it from what follows. */",
  "",
  "/** Doc. */", // 5
  "// Why.",
  "export function parse(body: string) {",
  '  const open = "{";',
  "  const close = '}';",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
  "  const text = `${body}}${`{${open}`}`;", // 10
  "  if (/[{]/.test(text)) { return { open, close }; }",
  '  return "function notThis() {}"; // function notThis() {}',
  "}",
  "const limit = 5; // bytes",
  "// About double.", // 15
  "export const double = (n: number): number => n * 2;",
  'type Outcome = "created" | "stale";',
  "export interface Row {",
  "  id: string;",
  "}", // 20
  "enum Kind {",
  "  A,",
  "}",
  "export class Box {",
  "  get() {", // 25
  "    return `}`;",
  "  }",
  "}",
  "/** Both kinds. */",
  "export function size(value: string): number;", // 30
  "export function size(value: number[]): number;",
  "export function size(value: string | number[]): number {",
  "  return value.length;",
  "}",
  "const a = 1,", // 35
  "  b = 2;",
  "const http = httpRouter();",
  "",
  'http.route({ path: "/a" });',
  'http.route({ path: "/b" });', // 40
  "export default http;",
  'http.route({ path: "/late" });',
  "function outer() {",
  "  const inner = 1;",
  "}", // 45
].join("\n");

const quote = (source: string, name: string, filename = "a.ts") => {
  const found = findDeclaration(source, name, filename);
  return "code" in found ? found.code : found.error;
};
/** The fixture's lines first to last (1-based), as the quote should be. */
const fixtureLines = (first: number, last: number) =>
  fixture
    .split("\n")
    .slice(first - 1, last)
    .join("\n");

describe("findDeclaration", () => {
  it.each([
    [
      "a function, past braces nested and in strings, templates, regexes and comments, with its comments",
      "parse",
      5,
      13,
    ],
    ["a const with the comment ending its line, not the one about the next", "limit", 14, 14],
    ["an arrow-function const with the comment directly above", "double", 15, 16],
    ["a type alias", "Outcome", 17, 17],
    ["an interface", "Row", 18, 20],
    ["an enum", "Kind", 21, 23],
    ["a class", "Box", 24, 28],
    ["overloads together, from the first signature to the implementation", "size", 29, 34],
    ["either name of a two-name const", "b", 35, 36],
    ["a router with the calls on it directly after, as Convex's http.ts builds one", "http", 37, 40],
    ["`export default` as default", "default", 41, 41],
  ])("quotes %s", (_, name, first, last) => {
    expect(quote(fixture, name)).toBe(fixtureLines(first, last));
  });

  it("finds a named default export by its name, and JSX text with an apostrophe in a .tsx file", () => {
    expect(quote("export default function App() {}", "App")).toBe("export default function App() {}");
    const card = 'export function Card() {\n  return <p>Don\'t {"}"}</p>;\n}';
    expect(quote(card, "Card", "card.tsx")).toBe(card);
  });

  it("says so when the name is not declared at the top level, or the file does not parse", () => {
    expect(quote(fixture, "inner")).toBe("a.ts has no top-level declaration named inner");
    expect(quote(fixture, "notThis")).toBe("a.ts has no top-level declaration named notThis");
    expect(quote("const = ;", "x", "b.ts")).toMatch(/^b\.ts does not parse: /);
  });
});
