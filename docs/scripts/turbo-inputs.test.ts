import { describe, expect, it } from "vitest";
import { globToRegExp, notCovered, repoRelativeInputs } from "./turbo-inputs.ts";

describe("turbo inputs", () => {
  it("maps $TURBO_DEFAULT$, $TURBO_ROOT$ and package-relative inputs to repo-relative globs", () => {
    expect(
      repoRelativeInputs(["$TURBO_DEFAULT$", "$TURBO_ROOT$/README.md", "scripts/*.ts", "!dist/**"], "docs"),
    ).toEqual(["docs/**", "README.md", "docs/scripts/*.ts"]);
  });

  it("matches ** across directories and * within one", () => {
    expect(globToRegExp("packages/*/src/**").test("packages/shared/src/user.ts")).toBe(true);
    expect(globToRegExp("packages/*/src/**").test("packages/shared/test/user.ts")).toBe(false);
    expect(globToRegExp("apps/*.md").test("apps/web/README.md")).toBe(false);
    expect(globToRegExp("a/**/b.ts").test("a/b.ts")).toBe(true);
  });

  it("lists the paths no glob covers", () => {
    expect(notCovered(["README.md", "apps/web/src/main.tsx"], ["README.md"])).toEqual([
      "apps/web/src/main.tsx",
    ]);
  });
});
