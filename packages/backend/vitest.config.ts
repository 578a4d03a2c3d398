import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "edge-runtime",
    // Inlined so that vite transforms their `import.meta.glob` (convex-test and the components' test helpers).
    server: { deps: { inline: ["convex-test", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"] } },
    // Each test sets CLERK_WEBHOOK_SECRET itself (or leaves it unset) and gets a clean slate.
    unstubEnvs: true,
    restoreMocks: true,
  },
});
