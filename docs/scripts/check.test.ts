import { describe, expect, it } from "vitest";
import {
  checkDocs,
  formatProblem,
  MAX_TUTORIAL_WORDS,
  proseWords,
  type Repo,
  scratchFiles,
  syncDocs,
} from "./check.ts";

const source =
  '/** Verifies. */\nexport function verify(body: string) {\n  return body;\n}\n\nconst other = "";\n';
const block = "```ts\n/** Verifies. */\nexport function verify(body: string) {\n  return body;\n}\n```";
const tutorial = [
  "# Tutorial\n\n## Verify\n",
  `<!-- code: x.ts#verify -->\n${block}\n`, // lines 5-11
  "See [it](../x.ts), [above](#verify) and ![shot](images/a.png).\n", // line 13
  "Proof: [x.test.ts](../x.test.ts) › “rejects a changed body”.\n", // line 15
  "````md\n<!-- code: shown/as/an/example.ts#only -->\n[not a link](nowhere.md)\n````",
].join("\n");
const repo = {
  "x.ts": source,
  "x.test.ts": 'it("rejects a changed body", async () => {});',
  "docs/tutorial.md": tutorial,
  "docs/images/a.png": "png",
  "README.md": "Read [the tutorial](docs/tutorial.md#verify).",
};

/** An in-memory repository: directories exist because some file lives under them. */
function memoryRepo(files: Record<string, string | undefined>): Repo {
  const paths = Object.keys(files).filter((path) => files[path] !== undefined);
  return {
    read: (path) => files[path],
    list: (dir) => paths.flatMap((file) => (file.startsWith(`${dir}/`) ? [file.slice(dir.length + 1)] : [])),
  };
}
const docs = ["docs/tutorial.md", "README.md"];
const check = (changes: Record<string, string | undefined>) =>
  checkDocs(memoryRepo({ ...repo, ...changes }), docs).map(formatProblem);
const page = (from: string, to: string) => ({ "docs/tutorial.md": tutorial.replace(from, to) });
const words = (count: number) => "word ".repeat(count);

describe("checkDocs", () => {
  it("passes docs whose code matches its sources and whose links, tests and images resolve", () => {
    expect(check({})).toEqual([]);
    const whole = `<!-- code: x.ts -->\n\`\`\`ts\n${source.trimEnd()}\n\`\`\``;
    expect(
      check({ "docs/tutorial.md": `${tutorial}\n\n${whole}\n${words(MAX_TUTORIAL_WORDS - 40)}` }),
    ).toEqual([]);
  });

  it.each([
    [
      "the source changed and the block did not",
      { "x.ts": source.replace("return body;", "return body.trim();") },
      "docs/tutorial.md:5: code x.ts#verify: differs from its source (run pnpm docs:sync)",
    ],
    [
      "the symbol was renamed",
      { "x.ts": source.replace("verify(", "check(") },
      "docs/tutorial.md:5: code x.ts#verify: x.ts has no top-level declaration named verify",
    ],
    [
      "the source file is gone",
      { "x.ts": undefined },
      "docs/tutorial.md:5: code x.ts#verify: x.ts does not exist",
      "docs/tutorial.md:13: link ../x.ts: x.ts does not exist",
    ],
    [
      "a marker has no block after it",
      page("```ts\n/**", "\n```ts\n/**"),
      "docs/tutorial.md:5: code x.ts#verify: no code block directly after the marker (run pnpm docs:sync)",
    ],
    [
      "a block is never closed",
      { "docs/tutorial.md": `${tutorial}\n\n<!-- code: x.ts#verify -->\n\`\`\`ts\n` },
      "docs/tutorial.md:22: code x.ts#verify: its code block is never closed",
    ],
    [
      "a marker is misspelt",
      page("<!-- code:", "<!-- snippet:"),
      "docs/tutorial.md:5: write a code marker as <!-- code: path#symbol -->",
    ],
    [
      "an image is missing",
      { "docs/images/a.png": undefined },
      "docs/tutorial.md:13: link images/a.png: docs/images/a.png does not exist",
    ],
    [
      "a heading anchor points nowhere, on the same page or another",
      page("## Verify", "## Verifying"),
      "docs/tutorial.md:13: link #verify: docs/tutorial.md has no heading #verify",
      "README.md:1: link docs/tutorial.md#verify: docs/tutorial.md has no heading #verify",
    ],
    [
      "a link climbs out of the repository",
      { "README.md": "[up](../elsewhere/README.md)" },
      "README.md:1: link ../elsewhere/README.md: ../elsewhere/README.md does not exist",
    ],
    [
      "a test cited as proof was renamed",
      { "x.test.ts": 'it("rejects a tampered body", () => {});' },
      "docs/tutorial.md:15: test “rejects a changed body” not found in x.test.ts",
    ],
    [
      "a cited test's name wraps onto the next line, where it could not be checked",
      page("“rejects a changed", "“rejects a\nchanged"),
      "docs/tutorial.md:15: keep a cited test's › “name” on one line",
    ],
    [
      "a scratch marker is misspelt",
      { "docs/tutorial.md": `${tutorial}\n\n<!-- scratch convex/users.ts -->` },
      "docs/tutorial.md:22: write a scratch marker as <!-- scratch: convex/file.ts -->",
    ],
    [
      "a scratch file is outside the project's convex/ folder, has no block, or comes twice",
      {
        "docs/tutorial.md": [
          tutorial,
          "<!-- scratch: ../x.ts -->\n```ts\n```", // line 21
          "<!-- scratch: convex/a.ts -->\nprose", // line 24
          "<!-- scratch: convex/b.ts -->\n```ts\nconst b = 1;\n```", // line 26
          "<!-- scratch: convex/b.ts -->\n```ts\nconst b = 2;\n```", // line 30
        ].join("\n"),
      },
      "docs/tutorial.md:21: scratch ../x.ts: write a path in the project's convex/ folder, such as convex/users.ts",
      "docs/tutorial.md:24: scratch convex/a.ts: no code block directly after the marker",
      "docs/tutorial.md:30: scratch convex/b.ts: a second block for the same file",
    ],
    [
      "an image in docs/images is shown by no page",
      { "docs/images/old.png": "png" },
      "docs/images/old.png: no page shows this image",
    ],
    [
      "the tutorial's prose and tables pass the word limit",
      { "docs/tutorial.md": `${tutorial}\n| ${words(MAX_TUTORIAL_WORDS)} |` },
      `docs/tutorial.md: ${proseWords(tutorial) + MAX_TUTORIAL_WORDS} words of prose and tables, over the ${MAX_TUTORIAL_WORDS} allowed`,
    ],
  ])("fails, naming file and line, when %s", (_, changes, ...expected) => {
    expect(check(changes)).toEqual(expected);
  });
});

describe("scratchFiles", () => {
  it("collects each marked block with its path and the line of its opening fence, leaving quotes alone", () => {
    const markdown = `${tutorial}\n\n<!-- scratch: convex/schema.ts -->\n\`\`\`ts\nexport default 1;\n\`\`\``;
    expect(scratchFiles("docs/tutorial.md", markdown)).toEqual({
      files: [{ path: "convex/schema.ts", code: "export default 1;", line: 23 }],
      problems: [],
    });
    expect(syncDocs(memoryRepo({ ...repo, "docs/tutorial.md": markdown }), docs)).toEqual([]);
  });
});

describe("syncDocs", () => {
  it("rewrites a drifted block and fills a missing one, after which the check passes", () => {
    const files = {
      ...repo,
      "docs/tutorial.md": `${tutorial.replace("  return body;", "  return 1;")}\n<!-- code: x.ts#verify -->\n`,
    };
    const [synced] = syncDocs(memoryRepo(files), docs);
    files["docs/tutorial.md"] = synced?.markdown ?? "";
    expect(synced?.markdown).toContain(`<!-- code: x.ts#verify -->\n${block}\n`);
    expect(checkDocs(memoryRepo(files), docs)).toEqual([]);
    expect(syncDocs(memoryRepo(files), docs)).toEqual([]);
  });

  it("names the block's language after the file's extension, and none for a file without one", () => {
    const files = {
      "a.tsx": "const a = 1;\n",
      Makefile: "all:\n",
      "docs/a.md": "<!-- code: a.tsx#a -->\n\n<!-- code: Makefile -->",
    };
    expect(syncDocs(memoryRepo(files), ["docs/a.md"])[0]?.markdown).toBe(
      "<!-- code: a.tsx#a -->\n```tsx\nconst a = 1;\n```\n\n<!-- code: Makefile -->\n```\nall:\n```",
    );
  });

  it("uses a fence longer than any backtick run in the code", () => {
    const files = { "a.ts": 'const md = "```ts";\n', "docs/a.md": "<!-- code: a.ts#md -->" };
    expect(syncDocs(memoryRepo(files), ["docs/a.md"])[0]?.markdown).toBe(
      '<!-- code: a.ts#md -->\n````ts\nconst md = "```ts";\n````',
    );
  });
});
