import { describe, expect, it } from "vitest";
import { parseRegions } from "./regions.ts";

const source = [
  'import { v } from "convex/values";',
  "",
  "export function outer() {",
  "  // #region body",
  "  const a = 1;",
  "",
  "  // #region inner",
  "  if (a) {",
  "    return a;",
  "  }",
  "  // #endregion inner",
  "  return 0;",
  "  // #endregion body",
  "}",
].join("\n");

describe("parseRegions", () => {
  it("returns a region's lines without its markers and without the indentation they share", () => {
    expect(parseRegions(source).regions.get("inner")).toBe("if (a) {\n  return a;\n}");
  });

  it("drops the marker lines of a nested region from the enclosing one", () => {
    expect(parseRegions(source).regions.get("body")).toBe(
      "const a = 1;\n\nif (a) {\n  return a;\n}\nreturn 0;",
    );
  });

  it("reports no errors for well-formed markers", () => {
    expect(parseRegions(source).errors).toEqual([]);
  });

  it("reads CRLF sources like LF ones", () => {
    expect(parseRegions(source.replaceAll("\n", "\r\n")).regions.get("inner")).toBe(
      "if (a) {\n  return a;\n}",
    );
  });

  it("reports a region that is never closed, and does not return it", () => {
    const parsed = parseRegions("// #region verify\nconst x = 1;\n");
    expect(parsed.regions.has("verify")).toBe(false);
    expect(parsed.errors).toEqual(['line 1: region "verify" is never closed']);
  });

  it("reports an end marker that names a different region", () => {
    const parsed = parseRegions("// #region verify\nconst x = 1;\n// #endregion verfy\n");
    expect(parsed.errors[0]).toBe('line 3: expected "#endregion verify" (opened on line 1)');
  });

  it("reports an end marker with no name, so a misplaced end cannot shorten a snippet silently", () => {
    expect(parseRegions("// #region a\nx;\n// #endregion\n").errors[0]).toContain('expected "#endregion a"');
  });

  it("reports an end marker with no region open", () => {
    expect(parseRegions("x;\n// #endregion a\n").errors).toEqual([
      "line 2: #endregion a has no matching #region",
    ]);
  });

  it("reports a region name used twice", () => {
    const parsed = parseRegions("// #region a\nx;\n// #endregion a\n// #region a\ny;\n// #endregion a\n");
    expect(parsed.errors).toEqual(['line 4: region "a" is defined twice']);
  });

  it("ignores #region text that is not alone on its comment line", () => {
    const parsed = parseRegions('const s = "// #region a";\n');
    expect(parsed.regions.size).toBe(0);
    expect(parsed.errors).toEqual([]);
  });
});
