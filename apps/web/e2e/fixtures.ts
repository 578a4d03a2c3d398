/**
 * Every test runs offline and deterministically: requests leaving 127.0.0.1 are aborted (Clerk's CDN and
 * Frontend API, the Convex WebSocket), whatever network the machine has. `pageErrors` collects uncaught
 * exceptions so each test can assert there were none.
 */
import { test as base, expect } from "@playwright/test";

function isLocal(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost";
}

export const test = base.extend<{ pageErrors: Error[] }>({
  page: async ({ page }, use) => {
    await page.route(
      (url) => !isLocal(url),
      (route) => route.abort("internetdisconnected"),
    );
    await page.routeWebSocket(
      (url) => !isLocal(url),
      (socket) => socket.close(),
    );
    await use(page);
  },
  pageErrors: async ({ page }, use) => {
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await use(errors);
  },
});

export { expect };
