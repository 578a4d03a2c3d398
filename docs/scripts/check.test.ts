import { describe, expect, it } from "vitest";
import { checkDocs, formatProblem, MAX_TUTORIAL_WORDS, proseWords, type Repo, syncDocs } from "./check.ts";

/** An in-memory repository: directories exist because some file lives under them. */
function memoryRepo(files: Record<string, string>): Repo {
  return {
    read: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((file) => file.startsWith(`${path}/`)),
    list: (dir) =>
      Object.keys(files).flatMap((file) => (file.startsWith(`${dir}/`) ? [file.slice(dir.length + 1)] : [])),
  };
}

const http = [
  'import { httpRouter } from "convex/server";',
  "",
  "/** Verifies. */",
  "export function verify(body: string) {",
  "  return body;",
  "}",
  "",
].join("\n");

const tutorial = [
  "# Tutorial",
  "",
  "## Verify",
  "",
  "<!-- code: packages/backend/convex/http.ts#verify -->",
  "```ts",
  "/** Verifies. */",
  "export function verify(body: string) {",
  "  return body;",
  "}",
  "```",
  "",
  "See [the handler](../packages/backend/convex/http.ts), [above](#verify) and ![shot](images/signed-in.png).",
  "",
  "Proof: [http.test.ts](../packages/backend/convex/http.test.ts) › “rejects a changed body”.",
  "",
  "````md",
  "<!-- code: shown/as/an/example.ts#only -->",
  "[not a link](nowhere.md)",
  "````",
].join("\n");

const files = () => ({
  "packages/backend/convex/http.ts": http,
  "packages/backend/convex/http.test.ts": 'it("rejects a changed body", async () => {});',
  "docs/tutorial.md": tutorial,
  "docs/images/signed-in.png": "png",
  "README.md": "Read [the tutorial](docs/tutorial.md#verify).",
});
const docs = ["docs/tutorial.md", "README.md"];
const problems = (overrides: Record<string, string | undefined>) => {
  const repo = Object.fromEntries(
    Object.entries({ ...files(), ...overrides }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return checkDocs(memoryRepo(repo), docs).map(formatProblem);
};
const edit = (from: string, to: string) => ({ "docs/tutorial.md": tutorial.replace(from, to) });

describe("checkDocs", () => {
  it("passes docs whose code matches its sources and whose links, tests and images resolve", () => {
    expect(problems({})).toEqual([]);
  });

  it("names file, line and the first differing line when the source changed and the block did not", () => {
    expect(
      problems({ "packages/backend/convex/http.ts": http.replace("return body;", "return body.trim();") }),
    ).toEqual([
      "docs/tutorial.md:5: code packages/backend/convex/http.ts#verify: differs from the source: block line 3 is " +
        '"  return body;", the source has "  return body.trim();" (run pnpm docs:sync)',
    ]);
  });

  it("fails when the symbol is renamed or the file is gone", () => {
    expect(problems({ "packages/backend/convex/http.ts": http.replace("verify(", "check(") })).toEqual([
      "docs/tutorial.md:5: code packages/backend/convex/http.ts#verify: packages/backend/convex/http.ts has no " +
        "top-level declaration named verify",
    ]);
    expect(problems({ "packages/backend/convex/http.ts": undefined })).toEqual([
      "docs/tutorial.md:5: code packages/backend/convex/http.ts#verify: packages/backend/convex/http.ts does not exist",
      "docs/tutorial.md:13: link ../packages/backend/convex/http.ts: packages/backend/convex/http.ts does not exist",
    ]);
  });

  it("fails on a marker with no block after it, an unclosed block and a misspelt marker", () => {
    expect(problems(edit("```ts\n/**", "\n```ts\n/**"))[0]).toBe(
      "docs/tutorial.md:5: code packages/backend/convex/http.ts#verify: no code block directly after the marker " +
        "(run pnpm docs:sync)",
    );
    const unclosed = `${tutorial}\n\n<!-- code: packages/backend/convex/http.ts#verify -->\n\`\`\`ts\n`;
    expect(problems({ "docs/tutorial.md": unclosed })).toEqual([
      "docs/tutorial.md:22: code packages/backend/convex/http.ts#verify: its code block is never closed",
    ]);
    expect(problems(edit("<!-- code:", "<!-- snippet:"))).toEqual([
      "docs/tutorial.md:5: write a code marker as <!-- code: path#symbol -->",
    ]);
  });

  it("quotes a whole file when the marker names no symbol", () => {
    const whole = ["<!-- code: packages/backend/convex/http.ts -->", "```ts", http.trimEnd(), "```"].join(
      "\n",
    );
    expect(checkDocs(memoryRepo({ ...files(), "docs/page.md": whole }), [...docs, "docs/page.md"])).toEqual(
      [],
    );
  });

  it("fails when a link, image or heading anchor points nowhere", () => {
    expect(problems({ "docs/images/signed-in.png": undefined })).toEqual([
      "docs/tutorial.md:13: link images/signed-in.png: docs/images/signed-in.png does not exist",
    ]);
    expect(problems(edit("## Verify", "## Verifying"))).toEqual([
      "docs/tutorial.md:13: link #verify: docs/tutorial.md has no heading #verify",
      "README.md:1: link docs/tutorial.md#verify: docs/tutorial.md has no heading #verify",
    ]);
  });

  it("fails when a test cited as proof was renamed, or its name wraps onto the next line", () => {
    expect(
      problems({ "packages/backend/convex/http.test.ts": 'it("rejects a tampered body", () => {});' }),
    ).toEqual([
      "docs/tutorial.md:15: test “rejects a changed body” not found in packages/backend/convex/http.test.ts",
    ]);
    expect(problems(edit("“rejects a changed", "“rejects a\nchanged"))).toEqual([
      "docs/tutorial.md:15: keep a cited test's › “name” on one line",
    ]);
  });

  it("fails when an image in docs/images is shown by no page", () => {
    expect(problems({ "docs/images/old.png": "png" })).toEqual([
      "docs/images/old.png: no page shows this image: show it or delete it",
    ]);
  });

  it("fails when the tutorial's prose and tables pass the word limit, not counting code", () => {
    const words = (count: number) => "word ".repeat(count);
    const code = `\n\`\`\`ts\n${words(1000)}\n\`\`\`\n`;
    expect(problems({ "docs/tutorial.md": `${tutorial}\n${words(MAX_TUTORIAL_WORDS - 40)}${code}` })).toEqual(
      [],
    );
    expect(problems({ "docs/tutorial.md": `${tutorial}\n| ${words(MAX_TUTORIAL_WORDS)} |` })).toEqual([
      `docs/tutorial.md: ${proseWords(tutorial) + MAX_TUTORIAL_WORDS} words of prose and tables, over the ${MAX_TUTORIAL_WORDS} allowed`,
    ]);
  });
});

describe("syncDocs", () => {
  it("rewrites a drifted block and fills an empty one, after which the check passes", () => {
    const drifted = `${tutorial.replace("  return body;", "  return 1;")}\n<!-- code: packages/backend/convex/http.ts#verify -->\n`;
    const repo = { ...files(), "docs/tutorial.md": drifted };
    const [changed] = syncDocs(memoryRepo(repo), docs);
    expect(changed?.file).toBe("docs/tutorial.md");
    repo["docs/tutorial.md"] = changed?.markdown ?? "";
    expect(checkDocs(memoryRepo(repo), docs)).toEqual([]);
    expect(syncDocs(memoryRepo(repo), docs)).toEqual([]);
  });

  it("uses a fence longer than any backtick run in the code", () => {
    const source = 'const md = "```ts";\n';
    const repo = { "a.ts": source, "docs/a.md": "<!-- code: a.ts#md -->" };
    expect(syncDocs(memoryRepo(repo), ["docs/a.md"])[0]?.markdown).toBe(
      '<!-- code: a.ts#md -->\n````ts\nconst md = "```ts";\n````',
    );
  });
});
