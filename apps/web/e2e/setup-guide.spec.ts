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
  // The fix and its copy box name the same line.
  await expect(page.getByText(/Put this line in/)).toBeVisible();
  await expect(
    page.getByRole("button", { name: "Copy VITE_CONVEX_URL=https://happy-otter-123.convex.cloud" }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: /VITE_CLERK_PUBLISHABLE_KEY\s+malformed/ })).toBeVisible();
  await expect(page.getByText(/must never reach a browser/)).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test("the page has a favicon, and nothing it loads answers 404 or logs an error", async ({
  page,
  pageErrors,
}) => {
  const missing: string[] = [];
  const consoleErrors: string[] = [];
  page.on("response", (response) => response.status() === 404 && missing.push(response.url()));
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  await page.goto(urlOf(variants.missing));
  await expect(page.getByRole("heading", { name: "Finish setting up" })).toBeVisible();

  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(icon).toBe("/favicon.svg");
  const answer = await page.request.get(new URL(icon ?? "", urlOf(variants.missing)).href);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toContain("image/svg+xml");
  await page.waitForLoadState("networkidle");
  expect(missing).toEqual([]);
  expect(consoleErrors).toEqual([]);
  expect(pageErrors).toEqual([]);
});

for (const variant of [variants.missing, variants.malformed]) {
  test(`on a phone (${variant.name} env), no command or name breaks mid-token and the page does not scroll sideways`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(urlOf(variant));
    await expect(page.getByRole("heading", { name: "Finish setting up" })).toBeVisible();
    // An inline element split over two lines has two boxes; a block that scrolls keeps its one line.
    const broken = await page
      .locator("article code")
      .evaluateAll((codes) =>
        codes.filter((code) => code.getClientRects().length > 1).map((code) => code.textContent),
      );
    expect(broken).toEqual([]);
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(width[0]).toBeLessThanOrEqual(width[1] ?? 0);
  });
}
