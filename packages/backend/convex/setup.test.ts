import { fakeClerkUser, fakeUserEvent } from "@repo/shared/clerk-fixtures";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "./_generated/api";
import { captureLogs, deliver, OTHER_SECRET, setupTest, TEST_SECRET } from "./webhook.testkit";

const ISSUER = "https://verb-noun-42.clerk.accounts.dev";

describe("setup.status", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports nothing configured on a fresh deployment", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", undefined);
    expect(await t.query(api.setup.status, {})).toEqual({
      webhookSecretConfigured: false,
      issuerDomainConfigured: false,
      lastVerifiedWebhookAt: null,
    });
  });

  it("reports both variables once set, without revealing their values", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
    const status = await t.query(api.setup.status, {});
    expect(status).toMatchObject({ webhookSecretConfigured: true, issuerDomainConfigured: true });
    expect(JSON.stringify(status)).not.toContain(TEST_SECRET.slice("whsec_".length));
    expect(JSON.stringify(status)).not.toContain("clerk.accounts.dev");
  });

  it("records when the last verified webhook arrived, and ignores rejected ones", async () => {
    const t = setupTest();
    captureLogs();
    vi.useFakeTimers();
    const receivedAt = Date.UTC(2026, 1, 3, 9, 30);
    vi.setSystemTime(receivedAt);

    await deliver(t, fakeUserEvent("user.created", fakeClerkUser()), { secret: OTHER_SECRET });
    expect((await t.query(api.setup.status, {})).lastVerifiedWebhookAt).toBeNull();

    await deliver(t, fakeUserEvent("user.created", fakeClerkUser()));
    expect((await t.query(api.setup.status, {})).lastVerifiedWebhookAt).toBe(receivedAt);
  });
});
