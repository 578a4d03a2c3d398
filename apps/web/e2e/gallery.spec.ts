/**
 * The signed-in states need Clerk's and Convex's servers, which browser tests cannot reach. The gallery
 * renders the real components around the test doubles instead, in real Chromium: a check that each state
 * renders without errors, and the source of the tutorial's screenshots (`pnpm --filter @repo/web screenshots`).
 */
import type { Page } from "@playwright/test";
import { WEBHOOK_NOTE_AFTER_MS } from "../src/diagnostics/webhook-note.tsx";
import { expect, test } from "./fixtures.ts";
import { GALLERY_PORT } from "./variants.ts";

const galleryUrl = (state: string) => `http://127.0.0.1:${GALLERY_PORT}/?state=${state}`;

async function screenshot(page: Page, name: string) {
  if (process.env.DOCS_SCREENSHOTS)
    await page.screenshot({ path: `../../docs/images/${name}.png`, fullPage: true });
}

test("gallery: signed out, the starter explained with a sign-in button", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("signed-out"));
  await expect(page.getByRole("heading", { name: "Clerk sign-in, synced to Convex" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(pageErrors).toEqual([]);
  await screenshot(page, "signed-out");
});

test("gallery: Convex rejects the token, the cause and its fix", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("auth-problem"));
  await expect(page.getByRole("heading", { name: "Convex did not accept your sign-in" })).toBeVisible();
  await expect(
    page.getByRole("button", { name: /Copy pnpm convex env set CLERK_JWT_ISSUER_DOMAIN/ }),
  ).toBeVisible();
  expect(pageErrors).toEqual([]);
  await screenshot(page, "auth-problem");
});

test("gallery: signed in, the user card from Convex", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("signed-in"));
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await expect(page.getByText(/^Clerk, last changed/)).toBeVisible();
  expect(pageErrors).toEqual([]);
  await screenshot(page, "signed-in");
});

test("gallery: no webhook yet, the quiet note under the card", async ({ page, pageErrors }) => {
  await page.clock.install();
  await page.goto(galleryUrl("webhook-note"));
  await expect(page.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeVisible();
  await page.clock.fastForward(WEBHOOK_NOTE_AFTER_MS);
  await page.getByText("Clerk's webhook has not reached this deployment yet").click();
  await expect(page.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeVisible();
  expect(pageErrors).toEqual([]);
  await screenshot(page, "webhook-note");
});
