import { describe, expect, it } from "vitest";
import { fenceFor, findSnippets, languageOf, rewriteSnippets } from "./markdown-snippets.ts";

const doc = [
  "# Title",
  "",
  "<!-- snippet: packages/backend/convex/http.ts#verify -->",
  "```ts",
  "old line",
  "```",
  "",
  "Text.",
  "",
  "<!-- snippet: apps/web/src/main.tsx#providers -->",
  "",
  "End.",
].join("\n");

describe("findSnippets", () => {
  it("finds each marker with its source, region, line and the block right after it", () => {
    const [first, second] = findSnippets(doc);
    expect(first).toMatchObject({
      line: 3,
      source: "packages/backend/convex/http.ts",
      region: "verify",
      block: { info: "ts", body: "old line", open: 3, close: 5 },
    });
    expect(second).toMatchObject({ line: 10, source: "apps/web/src/main.tsx", region: "providers" });
    expect(second?.block).toBeUndefined();
  });

  it("ignores a marker shown inside another code block", () => {
    const shown = "````md\n<!-- snippet: a.ts#x -->\n```ts\ny\n```\n````\n";
    expect(findSnippets(shown)).toEqual([]);
  });

  it("flags a block that is opened but never closed", () => {
    expect(findSnippets("<!-- snippet: a.ts#x -->\n```ts\ny\n")[0]?.unclosed).toBe(true);
  });
});

describe("rewriteSnippets", () => {
  const regions: Record<string, string> = {
    "packages/backend/convex/http.ts#verify": "const a = 1;\nconst b = 2;",
    "apps/web/src/main.tsx#providers": "<App />",
  };
  const lookup = (source: string, region: string) => regions[`${source}#${region}`];

  it("replaces an existing block with the region text and inserts a missing block", () => {
    const rewritten = rewriteSnippets(doc, lookup);
    expect(rewritten).toBe(
      [
        "# Title",
        "",
        "<!-- snippet: packages/backend/convex/http.ts#verify -->",
        "```ts",
        "const a = 1;",
        "const b = 2;",
        "```",
        "",
        "Text.",
        "",
        "<!-- snippet: apps/web/src/main.tsx#providers -->",
        "```tsx",
        "<App />",
        "```",
        "",
        "End.",
      ].join("\n"),
    );
  });

  it("is idempotent: rewriting a synced file changes nothing", () => {
    const once = rewriteSnippets(doc, lookup);
    expect(rewriteSnippets(once, lookup)).toBe(once);
  });

  it("leaves a snippet whose region is unknown untouched", () => {
    expect(rewriteSnippets(doc, () => undefined)).toBe(doc);
  });
});

describe("helpers", () => {
  it("picks the fence language from the source extension", () => {
    expect([languageOf("a/b.ts"), languageOf("c.tsx"), languageOf("d.yml"), languageOf("Makefile")]).toEqual([
      "ts",
      "tsx",
      "yaml",
      "",
    ]);
  });

  it("uses a fence longer than any backtick run in the code", () => {
    expect(fenceFor("plain")).toBe("```");
    expect(fenceFor("const md = `\n```ts\n`;")).toBe("````");
  });
});
