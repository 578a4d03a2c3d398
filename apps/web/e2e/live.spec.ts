/**
 * The live check (.github/live-checks.md): a new user signs up on a real Clerk development instance, through
 * Clerk's own sign-up flow with a `+clerk_test` address (code 424242, no email sent), and the app built
 * against a real Convex deployment shows their row, first from the token, then from the webhook. Skipped
 * unless E2E_CLERK_PUBLISHABLE_KEY, E2E_CLERK_SECRET_KEY and E2E_CONVEX_URL are set; CI deletes the user.
 */
import { existsSync } from "node:fs";
import { clerk, clerkSetup, setupClerkTestingToken } from "@clerk/testing/playwright";
import { expect, test } from "@playwright/test";
import { liveVariant, urlOf } from "./variants.ts";

const live = liveVariant();
const runId = process.env.E2E_RUN_ID || Date.now().toString(36);
/** The address the workflow's cleanup step deletes by. */
const email = `e2e_${runId}+clerk_test@example.com`;
/** A kit whose example was removed (README → "What you can delete") has no messages to post. */
const hasExample = existsSync(new URL("../src/messages/messages.tsx", import.meta.url));

test.skip(
  live === undefined,
  "live check: set E2E_CLERK_PUBLISHABLE_KEY, E2E_CLERK_SECRET_KEY and E2E_CONVEX_URL (.github/live-checks.md)",
);

test.beforeAll(async () => {
  // Fetches a testing token, so Clerk's bot protection lets this browser sign up.
  await clerkSetup({
    publishableKey: process.env.E2E_CLERK_PUBLISHABLE_KEY,
    secretKey: process.env.E2E_CLERK_SECRET_KEY,
    dotenv: false,
  });
});

test("a new user signs up, sees their row from the token and then the webhook, posts, and signs out", async ({
  page,
}) => {
  test.setTimeout(120_000);
  if (live === undefined) return;
  await setupClerkTestingToken({ page });
  await page.goto(urlOf(live));
  await clerk.loaded({ page });

  // Clerk's sign-up flow, driven through clerk-js in the page (the same calls its <SignUp /> makes), so the
  // test does not depend on how the instance lays out its form.
  await page.evaluate(
    async ({ email, password }) => {
      const signUp = await window.Clerk.client?.signUp.create({ emailAddress: email, password });
      if (signUp === undefined) throw new Error("clerk-js has no client");
      await signUp.prepareEmailAddressVerification({ strategy: "email_code" });
      const done = await signUp.attemptEmailAddressVerification({ code: "424242" });
      if (done.status !== "complete")
        throw new Error(`sign-up is ${done.status}: ${done.missingFields.join(", ")}`);
      await window.Clerk.setActive({ session: done.createdSessionId });
    },
    { email, password: `Live-${runId}-${Math.random().toString(36).slice(2)}` },
  );

  const source = page.getByRole("definition").filter({ hasText: /sign-in token|Clerk, last changed/ });
  await expect(source).toBeVisible({ timeout: 30_000 });
  // Usually the token's row shows first; a webhook faster than the browser may win the race, which is fine.
  const fromToken = (await source.textContent())?.includes("sign-in token") ?? false;
  test
    .info()
    .annotations.push({ type: "first row", description: fromToken ? "from the token" : "from the webhook" });
  await expect(page.getByText(/^user_/)).toBeVisible();
  await expect(source).toHaveText(/^Clerk, last changed/, { timeout: 60_000 });

  if (hasExample) {
    // The example has its own page (src/routes.tsx), linked from the header.
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Messages" }).click();
    const body = `Live check ${runId}`;
    await page.getByLabel("New message").fill(body);
    await page.getByRole("button", { name: "Send" }).click();
    const messages = page.getByRole("list", { name: "Messages, newest first" });
    await expect(messages).toContainText(body, { timeout: 15_000 });
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible({ timeout: 15_000 });
});
