import type { Locator } from "@playwright/test";

/**
 * With DOCS_SCREENSHOTS=1 (`pnpm --filter @repo/web screenshots`), writes docs/images/<name>.png: the element
 * the tutorial shows, cropped to it, not the whole page. Only images the tutorial uses: docs:check fails on
 * one it does not show.
 */
export async function docsImage(element: Locator, name: string): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS !== "1") return;
  await element.screenshot({ path: `../../docs/images/${name}.png`, animations: "disabled" });
}
