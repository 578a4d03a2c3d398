import { docsImage } from "./docs-image.ts";
import { expect, test } from "./fixtures.ts";
import { urlOf, variants } from "./variants.ts";

test("with no env the production build shows the setup guide naming both variables", async ({
  page,
  pageErrors,
}) => {
  await page.goto(urlOf(variants.missing));

  await expect(page.getByRole("heading", { name: "Finish setting up" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /VITE_CONVEX_URL\s+missing/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /VITE_CLERK_PUBLISHABLE_KEY\s+missing/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy pnpm setup:convex" })).toBeVisible();
  expect(pageErrors).toEqual([]);
  await docsImage(page.getByRole("article", { name: "Finish setting up" }), "setup-guide");
});

test("with malformed env the setup guide says what is wrong with each value", async ({
  page,
  pageErrors,
}) => {
  await page.goto(urlOf(variants.malformed));

  await expect(page.getByRole("heading", { name: /VITE_CONVEX_URL\s+malformed/ })).toBeVisible();
  await expect(page.getByText("Set VITE_CONVEX_URL=https://happy-otter-123.convex.cloud")).toBeVisible();
  await expect(page.getByRole("heading", { name: /VITE_CLERK_PUBLISHABLE_KEY\s+malformed/ })).toBeVisible();
  await expect(page.getByText(/must never reach a browser/)).toBeVisible();
  expect(pageErrors).toEqual([]);
});
