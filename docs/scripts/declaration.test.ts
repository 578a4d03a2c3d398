import { describe, expect, it } from "vitest";
import { findDeclaration } from "./declaration.ts";

const code = (source: string, name: string, filename?: string) => {
  const found = findDeclaration(source, name, filename);
  return "code" in found ? found.code : found.error;
};

describe("findDeclaration", () => {
  it("quotes a function whole, past nested braces and braces inside strings, templates and regexes", () => {
    const fn = [
      "export function parse(body: string) {",
      '  const open = "{";',
      "  const close = '}';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
      "  const text = `${body}}${`{${open}`}`;",
      "  if (/[{]/.test(text)) { return { open, close }; }",
      "  return {};",
      "}",
    ].join("\n");
    expect(code(`import x from "x";\n\n${fn}\n\nconst after = 1;\n`, "parse")).toBe(fn);
  });

  it("brings the JSDoc and // comments directly above, and a comment ending the last line", () => {
    const source = [
      "/** The module. */",
      "",
      "// Not this: a blank line separates it.",
      "",
      "/** Doc. */",
      "// And why.",
      "const limit = 5; // bytes",
      "const other = 6;",
    ].join("\n");
    expect(code(source, "limit")).toBe("/** Doc. */\n// And why.\nconst limit = 5; // bytes");
  });

  it("leaves out comments about the statements before and after", () => {
    expect(code("const a = 1; // about a\nconst b = 2;\n// about c\nconst c = 3;", "b")).toBe("const b = 2;");
  });

  it("ignores a declaration's name inside comments, strings and nested scopes", () => {
    const source = [
      "// function target() {}",
      'const text = "function target() {}";',
      "function outer() {",
      "  function target() {}",
      "}",
      "const target = () => 1;",
    ].join("\n");
    expect(code(source, "target")).toBe("const target = () => 1;");
  });

  it("quotes arrow-function consts, type aliases, interfaces, enums and classes, exported or not", () => {
    const source = [
      "export const double = (n: number): number => n * 2;",
      'type Outcome = "created" | "stale";',
      "export interface Row {\n  id: string;\n}",
      "enum Kind {\n  A,\n}",
      "export class Box {\n  get(): string {\n    return `}`;\n  }\n}",
    ].join("\n");
    expect(code(source, "double")).toBe("export const double = (n: number): number => n * 2;");
    expect(code(source, "Outcome")).toBe('type Outcome = "created" | "stale";');
    expect(code(source, "Row")).toBe("export interface Row {\n  id: string;\n}");
    expect(code(source, "Kind")).toBe("enum Kind {\n  A,\n}");
    expect(code(source, "Box")).toBe("export class Box {\n  get(): string {\n    return `}`;\n  }\n}");
  });

  it("quotes overloads together, from the first signature to the implementation", () => {
    const overloads = [
      "/** Both kinds. */",
      "export function size(value: string): number;",
      "export function size(value: number[]): number;",
      "export function size(value: string | number[]): number {",
      "  return value.length;",
      "}",
    ].join("\n");
    expect(code(`${overloads}\n\nexport function other() {}\n`, "size")).toBe(overloads);
  });

  it("names `export default` default, and a named default export by its name too", () => {
    expect(code("const a = 1;\nexport default {\n  a,\n};\n", "default")).toBe("export default {\n  a,\n};");
    expect(code("export default function App() {}\n", "App")).toBe("export default function App() {}");
  });

  it("quotes a router with the calls on it that follow, as Convex's http.ts builds one", () => {
    const router = "const http = httpRouter();\n\nhttp.route({ path: '/a' });\nhttp.route({ path: '/b' });";
    expect(code(`${router}\n\nexport default http;\nhttp.route({ path: "/later" });\n`, "http")).toBe(router);
  });

  it("finds each name of a multi-name const, and reads JSX apostrophes in .tsx files", () => {
    expect(code("const a = 1,\n  b = 2;", "b")).toBe("const a = 1,\n  b = 2;");
    const card = 'export function Card() {\n  return <p>Don\'t {"}"}</p>;\n}';
    expect(code(card, "Card", "card.tsx")).toBe(card);
  });

  it("says so when the name is not declared at the top level, or the file does not parse", () => {
    expect(code("function outer() {\n  const inner = 1;\n}", "inner", "a.ts")).toBe(
      "a.ts has no top-level declaration named inner",
    );
    expect(code("const = ;", "x", "b.ts")).toMatch(/^b\.ts does not parse: /);
  });
});
