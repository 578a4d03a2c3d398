import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "edge-runtime",
    // Node 25+ has a localStorage that warns on every read without a file; the edge runtime reads it once per
    // test file. Convex functions have no localStorage, so the tests turn it off.
    execArgv: ["--no-experimental-webstorage"],
    // Inlined so that vite transforms their `import.meta.glob` (convex-test and the components' test helpers).
    server: { deps: { inline: ["convex-test", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"] } },
    // Each test sets CLERK_WEBHOOK_SECRET itself (or leaves it unset) and gets a clean slate.
    unstubEnvs: true,
    restoreMocks: true,
  },
});
