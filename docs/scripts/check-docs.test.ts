import { describe, expect, it } from "vitest";
import { checkDocs, formatProblem, type RepoFiles, referencedFiles, syncDocs } from "./check-docs.ts";

/** An in-memory repository: a file map, where directories exist because some file lives under them. */
function memoryRepo(files: Record<string, string>): RepoFiles & { files: Record<string, string> } {
  return {
    files,
    read: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((file) => file.startsWith(`${path}/`)),
  };
}

const httpSource = [
  'import { httpRouter } from "convex/server";',
  "",
  "export async function handle(request: Request) {",
  "  // #region verify",
  "  const body = await request.text();",
  "  webhook.verify(body, headers);",
  "  // #endregion verify",
  "}",
].join("\n");

const tutorial = [
  "# Tutorial",
  "",
  "## Verify",
  "",
  "<!-- snippet: packages/backend/convex/http.ts#verify -->",
  "```ts",
  "const body = await request.text();",
  "webhook.verify(body, headers);",
  "```",
  "",
  "See [the handler](../packages/backend/convex/http.ts), [above](#verify) and ![shot](images/signed-in.png).",
  "",
  "Proof: [http.test.ts](../packages/backend/convex/http.test.ts) › “rejects a body changed after signing”.",
].join("\n");

function validRepo() {
  return memoryRepo({
    "packages/backend/convex/http.ts": httpSource,
    "docs/tutorial.md": tutorial,
    "docs/images/signed-in.png": "png",
    "packages/backend/convex/http.test.ts": 'it("rejects a body changed after signing", async () => {});',

    "README.md": "Read [the tutorial](docs/tutorial.md#verify).",
  });
}

const docs = ["docs/tutorial.md", "README.md"];
const messages = (repo: RepoFiles) => checkDocs(repo, docs).map(formatProblem);

describe("checkDocs", () => {
  it("passes docs whose snippets match their sources and whose links resolve", () => {
    expect(messages(validRepo())).toEqual([]);
  });

  it("fails, naming file, line and region, when a snippet is edited by hand", () => {
    const repo = validRepo();
    repo.files["docs/tutorial.md"] = tutorial.replace(
      "webhook.verify(body, headers);",
      "webhook.verify(body);",
    );
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:5: snippet packages/backend/convex/http.ts#verify differs from its source: " +
        'block line 2 is "webhook.verify(body);", source has "webhook.verify(body, headers);" (run pnpm docs:sync)',
    ]);
  });

  it("fails when the source changes and the tutorial was not re-synced", () => {
    const repo = validRepo();
    repo.files["packages/backend/convex/http.ts"] = httpSource.replace("headers);", "headers);\n  log();");
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:5: snippet packages/backend/convex/http.ts#verify differs from its source: " +
        'block line 3 is "(missing)", source has "log();" (run pnpm docs:sync)',
    ]);
  });

  it("fails when the region is renamed in the source", () => {
    const repo = validRepo();
    repo.files["packages/backend/convex/http.ts"] = httpSource.replaceAll("verify\n", "verifySignature\n");
    expect(messages(repo)).toEqual([
      'docs/tutorial.md:5: snippet packages/backend/convex/http.ts#verify: region "verify" not found in ' +
        "packages/backend/convex/http.ts",
    ]);
  });

  it("fails, quoting the broken marker, when a region's end marker is misspelt", () => {
    const repo = validRepo();
    repo.files["packages/backend/convex/http.ts"] = httpSource.replace(
      "#endregion verify",
      "#endregion verfy",
    );
    expect(messages(repo)[0]).toContain('region "verify" not found');
    expect(messages(repo)[0]).toContain('line 7: expected "#endregion verify" (opened on line 4)');
  });

  it("fails when the snippet's source file is gone", () => {
    const repo = validRepo();
    delete repo.files["packages/backend/convex/http.ts"];
    expect(messages(repo)).toContain(
      "docs/tutorial.md:5: snippet packages/backend/convex/http.ts#verify: snippet source " +
        "packages/backend/convex/http.ts does not exist",
    );
  });

  it("fails when a marker has no code block after it", () => {
    const repo = validRepo();
    repo.files["docs/tutorial.md"] = tutorial.replace("```ts\nconst body", "\n```ts\nconst body");
    expect(messages(repo)[0]).toBe(
      "docs/tutorial.md:5: snippet packages/backend/convex/http.ts#verify: the marker is not directly " +
        "followed by a code block (run pnpm docs:sync)",
    );
  });

  it("fails when an image the page shows (or any file it links) is missing", () => {
    const repo = validRepo();
    delete repo.files["docs/images/signed-in.png"];
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:11: link images/signed-in.png: docs/images/signed-in.png does not exist",
    ]);
  });

  it("fails when a link names a heading that does not exist, in the same file or another", () => {
    const repo = validRepo();
    repo.files["docs/tutorial.md"] = tutorial.replace("## Verify", "## Verifying");
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:11: link #verify: docs/tutorial.md has no heading #verify",
      "README.md:1: link docs/tutorial.md#verify: docs/tutorial.md has no heading #verify",
    ]);
  });
});

describe("checkDocs test references", () => {
  it("fails when the test a pitfall points at was renamed or removed", () => {
    const repo = validRepo();
    repo.files["packages/backend/convex/http.test.ts"] = 'it("rejects a tampered body", async () => {});';
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:13: test “rejects a body changed after signing” not found in " +
        "packages/backend/convex/http.test.ts",
    ]);
  });

  it("fails when a test name is wrapped onto the next line, where it could not be checked", () => {
    const repo = validRepo();
    repo.files["docs/tutorial.md"] = tutorial.replace("“rejects a body changed", "“rejects a body\nchanged");
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:13: test reference wraps onto the next line: keep › “name” on one line",
    ]);
  });

  it("reports a missing test file once, as a broken link", () => {
    const repo = validRepo();
    delete repo.files["packages/backend/convex/http.test.ts"];
    expect(messages(repo)).toEqual([
      "docs/tutorial.md:13: link ../packages/backend/convex/http.test.ts: packages/backend/convex/http.test.ts " +
        "does not exist",
    ]);
  });
});

describe("syncDocs", () => {
  it("rewrites a hand-edited snippet from its source, after which the check passes", () => {
    const repo = validRepo();
    repo.files["docs/tutorial.md"] = tutorial.replace(
      "webhook.verify(body, headers);",
      "webhook.verify(body);",
    );
    const changed = syncDocs(repo, docs);
    expect(changed.map((change) => change.file)).toEqual(["docs/tutorial.md"]);
    repo.files["docs/tutorial.md"] = changed[0]?.markdown ?? "";
    expect(repo.files["docs/tutorial.md"]).toBe(tutorial);
    expect(messages(repo)).toEqual([]);
  });

  it("changes nothing in docs that are already in step", () => {
    expect(syncDocs(validRepo(), docs)).toEqual([]);
  });
});

describe("referencedFiles", () => {
  it("lists the snippet sources and link target files outside docs/, not directories", () => {
    const repo = validRepo();
    repo.files["README.md"] += " See [the backend](packages/backend) and [docs](docs).";
    expect(referencedFiles(repo, docs)).toEqual([
      "packages/backend/convex/http.test.ts",
      "packages/backend/convex/http.ts",
    ]);
  });
});
