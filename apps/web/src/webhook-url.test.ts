import { describe, expect, it } from "vitest";
import { webhookUrlFor } from "./webhook-url.ts";

describe("webhookUrlFor", () => {
  it("moves a cloud deployment from .convex.cloud to .convex.site and adds the webhook path", () => {
    expect(webhookUrlFor("https://happy-otter-123.convex.cloud")).toBe(
      "https://happy-otter-123.convex.site/clerk-users-webhook",
    );
  });

  it("keeps a region label when it moves to .convex.site", () => {
    expect(webhookUrlFor("https://happy-otter-123.eu-west-1.convex.cloud")).toBe(
      "https://happy-otter-123.eu-west-1.convex.site/clerk-users-webhook",
    );
  });

  it("points a local backend at the HTTP actions port, one above the client port", () => {
    expect(webhookUrlFor("http://127.0.0.1:3210")).toBe("http://127.0.0.1:3211/clerk-users-webhook");
  });
});
