import { describe, expect, it } from "vitest";
import { envProblems } from "./env-problems.ts";

// "clever-fox-12.clerk.accounts.dev$", encoded the way Clerk encodes it into a development key.
const DEV_KEY = "pk_test_Y2xldmVyLWZveC0xMi5jbGVyay5hY2NvdW50cy5kZXYk";
const CONVEX_URL = "https://happy-otter-123.convex.cloud";
const problemsFor = envProblems;

describe("envProblems", () => {
  it("names both variables, each as missing, in the order the setup fills them in", () => {
    const problems = problemsFor({});
    expect(problems.map((p) => [p.variable, p.kind])).toEqual([
      ["VITE_CLERK_PUBLISHABLE_KEY", "missing"],
      ["VITE_CONVEX_URL", "missing"],
    ]);
  });

  it("treats an empty or blank value as missing", () => {
    const problems = problemsFor({ VITE_CONVEX_URL: "", VITE_CLERK_PUBLISHABLE_KEY: "  " });
    expect(problems.every((p) => p.kind === "missing")).toBe(true);
  });

  it("tells how to fix a missing Convex URL with `pnpm setup:convex` and the .env.local path", () => {
    const [problem] = problemsFor({ VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY });
    expect(problem?.variable).toBe("VITE_CONVEX_URL");
    expect(problem?.fix).toContain("pnpm setup:convex");
    expect(problem?.fix).toContain("apps/web/.env.local");
  });

  it("tells where in the Clerk dashboard the publishable key is when it is missing", () => {
    const [problem] = problemsFor({ VITE_CONVEX_URL: CONVEX_URL });
    expect(problem?.variable).toBe("VITE_CLERK_PUBLISHABLE_KEY");
    expect(problem?.fix).toContain("API keys");
    expect(problem?.fix).toContain("apps/web/.env.local");
  });

  it("rejects a URL that is not a Convex deployment", () => {
    for (const url of ["happy-otter-123", "http://happy-otter-123.convex.cloud", "https://example.com/x"]) {
      const [problem] = problemsFor({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY });
      expect(problem).toMatchObject({ variable: "VITE_CONVEX_URL", kind: "malformed" });
    }
  });

  it("recognises the .convex.site URL and has the matching .convex.cloud line copied, as its fix says, not `pnpm setup:convex`", () => {
    const [problem] = problemsFor({
      VITE_CONVEX_URL: "https://happy-otter-123.convex.site",
      VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY,
    });
    expect(problem?.kind).toBe("malformed");
    expect(problem?.fix).toContain("Put this line in `apps/web/.env.local`");
    expect(problem?.fix).not.toContain("setup:convex");
    expect(problem?.copy).toBe("VITE_CONVEX_URL=https://happy-otter-123.convex.cloud");
  });

  it("has `pnpm setup:convex` copied whenever the fix is to run it", () => {
    for (const url of ["", "https://example.com/x"]) {
      const [problem] = problemsFor({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY });
      expect(problem?.fix).toContain("run `pnpm setup:convex`");
      expect(problem?.copy).toBe("pnpm setup:convex");
    }
  });

  it("copies nothing for the Clerk key, which only the dashboard has (never a placeholder)", () => {
    for (const key of ["", "sk_test_abc123", DEV_KEY.slice(0, -4)]) {
      const [problem] = problemsFor({ VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: key });
      expect(problem?.copy).toBeUndefined();
    }
  });

  it("gives a missing value no sentence that would repeat its heading", () => {
    expect(problemsFor({}).map((problem) => problem.problem)).toEqual([undefined, undefined]);
  });

  it("accepts a custom domain or self-hosted https URL", () => {
    for (const url of ["https://api.example.com", "https://convex.example.org:8443"]) {
      expect(problemsFor({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })).toEqual([]);
    }
  });

  it("warns that a secret key was pasted where the publishable key belongs", () => {
    const [problem] = problemsFor({
      VITE_CONVEX_URL: CONVEX_URL,
      VITE_CLERK_PUBLISHABLE_KEY: "sk_test_abc123",
    });
    expect(problem).toMatchObject({ variable: "VITE_CLERK_PUBLISHABLE_KEY", kind: "malformed" });
    expect(problem?.problem).toContain("secret key");
  });

  it("rejects a publishable key that was cut short", () => {
    const truncated = DEV_KEY.slice(0, -4);
    const [problem] = problemsFor({ VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: truncated });
    expect(problem).toMatchObject({ variable: "VITE_CLERK_PUBLISHABLE_KEY", kind: "malformed" });
  });
});
