import { describe, expect, it, vi } from "vitest";
import { api } from "./_generated/api";
import { fakeClerkUser, fakeUserEvent } from "./clerk.fixtures";
import { captureLogs, deliver, OTHER_SECRET, setupTest, TEST_SECRET } from "./webhook.testkit";

const ISSUER = "https://verb-noun-42.clerk.accounts.dev";

describe("setup.status", () => {
  it("reports nothing configured on a fresh deployment", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_WEBHOOK_SECRET", undefined);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", undefined);
    expect(await t.query(api.setup.status, {})).toEqual({
      webhookSecretConfigured: false,
      issuerDomainConfigured: false,
      webhookApplied: false,
    });
  });

  it("answers with booleans only, never a secret's or the issuer's value", async () => {
    const t = setupTest();
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
    const status = await t.query(api.setup.status, {});
    expect(status).toMatchObject({ webhookSecretConfigured: true, issuerDomainConfigured: true });
    expect(Object.values(status).every((value) => typeof value === "boolean")).toBe(true);
    expect(JSON.stringify(status)).not.toContain(TEST_SECRET.slice("whsec_".length));
    expect(JSON.stringify(status)).not.toContain("clerk.accounts.dev");
  });

  it("says a webhook was applied only after a verified one, not after a rejected one or a token call", async () => {
    const t = setupTest();
    captureLogs();
    await t.withIdentity({ subject: fakeClerkUser().id }).mutation(api.users.ensureFromToken, {});
    await deliver(t, fakeUserEvent("user.created", fakeClerkUser()), { secret: OTHER_SECRET });
    expect((await t.query(api.setup.status, {})).webhookApplied).toBe(false);

    await deliver(t, fakeUserEvent("user.created", fakeClerkUser()));
    expect((await t.query(api.setup.status, {})).webhookApplied).toBe(true);
  });
});
