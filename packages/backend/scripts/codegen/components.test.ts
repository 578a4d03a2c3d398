import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withoutComponents } from "./components.ts";

const generated = (name: string) =>
  readFileSync(new URL(`../../convex/_generated/${name}`, import.meta.url), "utf8");

/** What `convex dev` adds for a project with components (convex's own codegen templates, 1.49). */
function asConvexDevWritesIt(name: "api.js" | "api.d.ts"): string {
  const offline = generated(name);
  if (name === "api.js") {
    return `${offline.replace('import { anyApi } from "convex/server";', 'import { anyApi, componentsGeneric } from "convex/server";')}export const components = componentsGeneric();\n`;
  }
  return `${offline}
export declare const components: {
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
`;
}

describe("withoutComponents", () => {
  it.each(["api.js", "api.d.ts"] as const)(
    "makes %s as convex dev writes it (with components) equal to the offline one",
    (name) => {
      const written = asConvexDevWritesIt(name);
      expect(written).not.toEqual(generated(name));
      expect(withoutComponents(written)).toEqual(withoutComponents(generated(name)));
    },
  );

  it("still sees any other difference, such as a module added or removed", () => {
    const changed = generated("api.d.ts").replace("users: typeof users;", "");
    expect(withoutComponents(changed)).not.toEqual(withoutComponents(generated("api.d.ts")));
  });
});
