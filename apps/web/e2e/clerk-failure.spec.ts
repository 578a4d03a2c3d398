import { SLOW_AFTER_MS } from "../src/diagnostics/slow-hint.tsx";
import { expect, test } from "./fixtures.ts";
import { E2E_CLERK_HOST, urlOf, variants } from "./variants.ts";

/** @clerk/react gives up on its script after 15 s (its `scriptLoadTimeout`), then reports "error". */
const CLERK_SCRIPT_TIMEOUT_MS = 15_000;

test("when Clerk's script is blocked the page explains what to check instead of spinning", async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(CLERK_SCRIPT_TIMEOUT_MS + 15_000);
  // The fixture aborts every request to Clerk's host, as an ad blocker or an offline laptop would.
  await page.goto(urlOf(variants.configured));
  await expect(page.getByRole("status")).toHaveText("Loading Clerk…");
  await expect(page.getByText(/ad blocker/)).toBeVisible({ timeout: SLOW_AFTER_MS + 2_000 });

  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Clerk could not load" })).toBeVisible({
    timeout: CLERK_SCRIPT_TIMEOUT_MS + 5_000,
  });
  await expect(alert).toContainText(E2E_CLERK_HOST);
  await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
  // Clerk's own unawaited promise rejects with this code when its script fails; anything else is ours.
  expect(pageErrors.map((error) => error.message)).toEqual([
    expect.stringContaining("failed_to_load_clerk_js"),
  ]);
});
