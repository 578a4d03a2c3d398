import { describe, expect, it } from "vitest";
import { envProblems } from "./diagnostics/env-problems.ts";
import { parseEnv, type RawEnv } from "./env.ts";

// "clever-fox-12.clerk.accounts.dev$", encoded the way Clerk encodes it into a development key.
const DEV_KEY = "pk_test_Y2xldmVyLWZveC0xMi5jbGVyay5hY2NvdW50cy5kZXYk";
const CONVEX_URL = "https://happy-otter-123.convex.cloud";

describe("parseEnv", () => {
  it("accepts a cloud URL and a development key and returns them typed", () => {
    expect(parseEnv({ VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })).toEqual({
      convexUrl: CONVEX_URL,
      clerkPublishableKey: DEV_KEY,
      clerkFrontendApiHost: "clever-fox-12.clerk.accounts.dev",
    });
  });

  it("accepts a local backend URL on 127.0.0.1 or localhost", () => {
    for (const url of ["http://127.0.0.1:3210", "http://localhost:3210"]) {
      expect(parseEnv({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })?.convexUrl).toBe(url);
    }
  });

  it("accepts a Convex custom domain", () => {
    const url = "https://api.example.com";
    expect(parseEnv({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })?.convexUrl).toBe(url);
  });

  it("accepts a self-hosted backend on its own https host and port", () => {
    const url = "https://convex.internal.example.org:8443";
    expect(parseEnv({ VITE_CONVEX_URL: `${url}/`, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })?.convexUrl).toBe(
      url,
    );
  });

  it.each([
    "happy-otter-123.convex.cloud",
    "https://",
    "https://happy otter.convex.cloud",
    "https://happy-otter-123.convex.cloud/api",
    "http://api.example.com",
    "ftp://happy-otter-123.convex.cloud",
  ])("refuses a malformed URL: %s", (url) => {
    expect(parseEnv({ VITE_CONVEX_URL: url, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY })).toBeUndefined();
  });

  it("drops a trailing slash and surrounding spaces from both values", () => {
    const env = parseEnv({
      VITE_CONVEX_URL: ` ${CONVEX_URL}/ `,
      VITE_CLERK_PUBLISHABLE_KEY: ` ${DEV_KEY}\n`,
    });
    expect(env).toMatchObject({ convexUrl: CONVEX_URL, clerkPublishableKey: DEV_KEY });
  });

  // The setup guide shows envProblems whenever parseEnv refuses: the two must never disagree, or the
  // page would show a guide with nothing to fix (or start the app with a broken value).
  it.each<[string, RawEnv]>([
    ["both set", { VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY }],
    ["nothing set", {}],
    ["blank values", { VITE_CONVEX_URL: " ", VITE_CLERK_PUBLISHABLE_KEY: "  " }],
    [
      "the .convex.site URL",
      { VITE_CONVEX_URL: "https://happy-otter-123.convex.site", VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY },
    ],
    [
      "a plain http cloud URL",
      { VITE_CONVEX_URL: "http://happy-otter-123.convex.cloud", VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY },
    ],
    ["a custom domain", { VITE_CONVEX_URL: "https://api.example.com", VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY }],
    ["a URL with a path", { VITE_CONVEX_URL: `${CONVEX_URL}/api`, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY }],
    ["a secret key", { VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: "sk_test_abc123" }],
    ["a truncated key", { VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: DEV_KEY.slice(0, -4) }],
    ["a placeholder key", { VITE_CONVEX_URL: CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: "pk_test_..." }],
  ])("refuses exactly when the setup guide finds a problem: %s", (_label, raw) => {
    expect(parseEnv(raw) === undefined).toBe(envProblems(raw).length > 0);
  });
});
