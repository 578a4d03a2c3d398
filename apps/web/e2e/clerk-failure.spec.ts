import { CLERK_LOAD_TIMEOUT_MS } from "../src/clerk-loading-state.tsx";
import { expect, test } from "./fixtures.ts";
import { E2E_CLERK_HOST, urlOf, variants } from "./variants.ts";

test("when Clerk's script is blocked the page explains what to check instead of spinning", async ({
  page,
  pageErrors,
}) => {
  // The fixture aborts every request to Clerk's host, as an ad blocker or an offline laptop would.
  await page.goto(urlOf(variants.configured));
  await expect(page.getByRole("status")).toHaveText("Loading Clerk…");

  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Clerk could not load" })).toBeVisible({
    timeout: CLERK_LOAD_TIMEOUT_MS + 5_000,
  });
  // Clerk's script failure is reported as such, before the catch-all timeout.
  await expect(alert).toContainText("The browser could not load Clerk");
  await expect(alert).toContainText(E2E_CLERK_HOST);
  await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
  expect(pageErrors).toEqual([]);

  if (process.env.DOCS_SCREENSHOTS) {
    await page.screenshot({ path: "../../docs/images/clerk-failed.png", fullPage: true });
  }
});
