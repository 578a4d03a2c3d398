import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { GALLERY_PORT, liveVariant, urlOf, variants } from "./e2e/variants.ts";

// Debian's Chromium when present (this kit's CI machines); otherwise Playwright's own download
// (`pnpm exec playwright install chromium`), as on GitHub's runners.
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const live = liveVariant();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? "list" : [["list"], ["html", { open: "never" }]],
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    // The live build only when e2e/live.spec.ts has its variables; otherwise that spec is skipped.
    ...[...Object.values(variants), ...(live === undefined ? [] : [live])].map((variant) => ({
      command: [
        `vite build --outDir dist-e2e/${variant.name} --emptyOutDir --logLevel warn --bypass-lock`,
        // One preview per variant, all of this project at once: Vite 8.4's one-server-per-project lock would
        // refuse all but the first.
        `vite preview --outDir dist-e2e/${variant.name} --host 127.0.0.1 --port ${variant.port} --strictPort --bypass-lock`,
      ].join(" && "),
      url: urlOf(variant),
      env: variant.env,
      // A server left over from another checkout could serve other env values: always start fresh.
      reuseExistingServer: false,
      timeout: 60_000,
    })),
    {
      command: [
        "vite build --config gallery/vite.config.ts --logLevel warn",
        `vite preview --config gallery/vite.config.ts --host 127.0.0.1 --port ${GALLERY_PORT} --strictPort`,
      ].join(" && "),
      url: `http://127.0.0.1:${GALLERY_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
