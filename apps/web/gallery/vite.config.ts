/**
 * The docs gallery: the app's real components with @clerk/react and convex/react swapped for the test
 * doubles in src/testing, so the signed-in states can be rendered and screenshotted without Clerk's or
 * Convex's servers. Built and served only by the browser tests (e2e/gallery.spec.ts).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const fake = (file: string) => fileURLToPath(new URL(`../src/testing/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // The app's public/ (its favicon), as the app serves it.
  publicDir: fileURLToPath(new URL("../public", import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@clerk\/react$/, replacement: fake("fake-clerk.tsx") },
      { find: /^convex\/react(-clerk)?$/, replacement: fake("fake-convex.tsx") },
    ],
  },
  build: { outDir: "../dist-e2e/gallery", emptyOutDir: true },
});
