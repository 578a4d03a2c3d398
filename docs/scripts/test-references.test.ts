import { describe, expect, it } from "vitest";
import { findTestReferences, findWrappedReferences } from "./test-references.ts";

describe("findTestReferences", () => {
  it("finds a link followed by › and a quoted test name, with its line", () => {
    const markdown = "| dupes | [users.test.ts](../x/users.test.ts) › “a replay writes nothing” |";
    expect(findTestReferences(markdown)).toEqual([
      { line: 1, target: "../x/users.test.ts", name: "a replay writes nothing" },
    ]);
  });

  it("finds every name in a chain of references after one link", () => {
    const markdown = "[t](t.test.ts) › “first”, › “second” and [u](u.test.ts) › “third”";
    expect(findTestReferences(markdown).map((reference) => [reference.target, reference.name])).toEqual([
      ["t.test.ts", "first"],
      ["t.test.ts", "second"],
      ["u.test.ts", "third"],
    ]);
  });

  it("ignores plain links and references shown inside code blocks", () => {
    const markdown = "[a](a.test.ts) and “quoted”\n```md\n[b](b.test.ts) › “x”\n```\n";
    expect(findTestReferences(markdown)).toEqual([]);
  });
});

describe("findWrappedReferences", () => {
  it("finds a reference whose name is wrapped onto the next line, which the check could not read", () => {
    const markdown = "[t](t.test.ts) › “a name that\ncontinues here” and [u](u.test.ts) › “whole”";
    expect(findWrappedReferences(markdown)).toEqual([1]);
    expect(findTestReferences(markdown).map((reference) => reference.name)).toEqual(["whole"]);
  });
});
