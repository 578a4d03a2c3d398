/**
 * The signed-in states need Clerk's and Convex's servers, which browser tests cannot reach. The gallery
 * renders the real components around the test doubles instead, in real Chromium: a check that each state
 * renders without errors, and the source of the tutorial's screenshots (`pnpm --filter @repo/web screenshots`).
 */
import { existsSync } from "node:fs";
import { WEBHOOK_NOTE_AFTER_MS } from "../src/diagnostics/webhook-note.tsx";
import { docsImage } from "./docs-image.ts";
import { expect, test } from "./fixtures.ts";
import { GALLERY_PORT } from "./variants.ts";

/** A kit whose example was removed has no /messages page. */
const hasExample = existsSync(new URL("../src/messages/messages.tsx", import.meta.url));
const galleryUrl = (state: string, path = "/") => `http://127.0.0.1:${GALLERY_PORT}${path}?state=${state}`;

test("gallery: signed out, the starter explained with a sign-in button", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("signed-out"));
  await expect(page.getByRole("heading", { name: "Clerk sign-in, synced to Convex" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test("gallery: Convex rejects the token, the cause and its fix", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("auth-problem"));
  const problem = page.getByRole("alert", { name: "Convex did not accept your sign-in" });
  await expect(problem).toBeVisible();
  await expect(
    problem.getByRole("button", { name: /Copy pnpm convex env set CLERK_JWT_ISSUER_DOMAIN/ }),
  ).toBeVisible();
  expect(pageErrors).toEqual([]);
  await docsImage(problem, "auth-problem");
});

test("gallery: signed in, the user card from Convex", async ({ page, pageErrors }) => {
  await page.goto(galleryUrl("signed-in"));
  const card = page.getByRole("article", { name: "Ada Lovelace" });
  await expect(card.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await expect(card.getByText(/^Clerk, last changed/)).toBeVisible();
  expect(pageErrors).toEqual([]);
  await docsImage(card, "signed-in");
});

test("gallery: a bare session token's row, then the quiet note when no webhook comes", async ({
  page,
  pageErrors,
}) => {
  await page.clock.install();
  await page.goto(galleryUrl("webhook-note"));
  // What Clerk's Convex integration gives without custom claims: no name, email or picture.
  const card = page.getByRole("article", { name: "Unnamed user" });
  await expect(card.getByText("Your sign-in token, until Clerk's webhook confirms it")).toBeVisible();
  await expect(card.getByText("No verified email address")).toBeVisible();
  await expect(card.getByTestId("name-hint")).toContainText("Customize session token");
  await docsImage(card, "token-state");
  await page.clock.fastForward(WEBHOOK_NOTE_AFTER_MS);
  await page.getByText("Clerk's webhook has not reached this deployment yet").click();
  await expect(page.getByText("https://happy-otter-123.convex.site/clerk-users-webhook")).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test("gallery: the example on /messages, reached and left by the header's links", async ({
  page,
  pageErrors,
}) => {
  test.skip(!hasExample, "the example was removed");
  await page.goto(galleryUrl("signed-in", "/messages"));
  const nav = page.getByRole("navigation", { name: "Pages" });
  await expect(nav.getByRole("link", { name: "Messages" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 1, name: "Messages · Everyone" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Messages, newest first" })).toContainText(
    "Hello from the example",
  );
  await nav.getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL(`http://127.0.0.1:${GALLERY_PORT}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test("gallery: a path no page has shows a friendly not-found page that links home", async ({
  page,
  pageErrors,
}) => {
  await page.goto(galleryUrl("signed-in", "/no-such-page"));
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  expect(pageErrors).toEqual([]);
});
