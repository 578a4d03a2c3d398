import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "edge-runtime",
    server: { deps: { inline: ["convex-test"] } },
    // Each test sets CLERK_WEBHOOK_SECRET itself (or leaves it unset) and gets a clean slate.
    unstubEnvs: true,
    restoreMocks: true,
  },
});
