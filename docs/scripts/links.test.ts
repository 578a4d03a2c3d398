import { describe, expect, it } from "vitest";
import { findLinks, headingAnchors, resolveLink, slugify } from "./links.ts";

describe("findLinks", () => {
  it("finds inline, image, reference and HTML links with their lines, and skips external ones", () => {
    const markdown = [
      "See [http.ts](../packages/backend/convex/http.ts) and [Clerk](https://clerk.com).",
      "![Signed in](images/signed-in.png)",
      '<img src="images/setup.png" width="600">',
      "[ref]: ./tutorial.md#results",
      "[mail](mailto:a@b.c) [top](#intro)",
    ].join("\n");
    expect(findLinks(markdown)).toEqual([
      { line: 1, target: "../packages/backend/convex/http.ts" },
      { line: 2, target: "images/signed-in.png" },
      { line: 3, target: "images/setup.png" },
      { line: 4, target: "./tutorial.md#results" },
      { line: 5, target: "#intro" },
    ]);
  });

  it("ignores links inside fenced code and inline code", () => {
    const markdown = "```md\n[a](missing.md)\n```\nUse `[b](nowhere.md)` syntax.";
    expect(findLinks(markdown)).toEqual([]);
  });
});

describe("anchors", () => {
  it("slugs headings the way GitHub does", () => {
    expect(slugify("4. Challenges and solutions")).toBe("4-challenges-and-solutions");
    expect(slugify("`verify` returns nothing (svix 2.2+)")).toBe("verify-returns-nothing-svix-22");
    expect(slugify("Deploy: [Convex](https://convex.dev) & Vite")).toBe("deploy-convex--vite");
  });

  it("numbers repeated headings and skips headings inside code blocks", () => {
    const markdown = "# Setup\n## Setup\n```sh\n# not a heading\n```\n";
    expect([...headingAnchors(markdown)]).toEqual(["setup", "setup-1"]);
  });
});

describe("resolveLink", () => {
  it("resolves relative to the linking file, and `/` from the repository root", () => {
    expect(resolveLink("docs/tutorial.md", "../packages/x.ts#L3")).toEqual({
      path: "packages/x.ts",
      anchor: "L3",
    });
    expect(resolveLink("docs/tutorial.md", "/README.md")).toEqual({ path: "README.md", anchor: undefined });
    expect(resolveLink("docs/tutorial.md", "images/a%20b.png")).toEqual({
      path: "docs/images/a b.png",
      anchor: undefined,
    });
  });

  it("treats a bare anchor as the same file", () => {
    expect(resolveLink("docs/tutorial.md", "#results")).toEqual({
      path: "docs/tutorial.md",
      anchor: "results",
    });
  });

  it("rejects a link that climbs out of the repository", () => {
    expect(resolveLink("README.md", "../elsewhere.md")).toBeUndefined();
  });
});
