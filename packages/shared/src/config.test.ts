import { describe, expect, it } from "vitest";
import {
  convexSiteUrl,
  MIN_WEBHOOK_KEY_BYTES,
  parseConvexUrl,
  parsePublishableKey,
  parseWebhookSecret,
  webhookUrl,
} from "./config.ts";

// Present in Node and browsers; this package is compiled without DOM or Node types.
declare function btoa(text: string): string;

/** Builds a key the way Clerk does: base64 of the Frontend API host followed by `$`. */
function publishableKey(kind: "test" | "live", host: string): string {
  return `pk_${kind}_${btoa(`${host}$`)}`;
}

describe("parsePublishableKey", () => {
  it("decodes a development key to its Frontend API host", () => {
    expect(parsePublishableKey(publishableKey("test", "happy-otter-12.clerk.accounts.dev"))).toEqual({
      ok: true,
      value: { instance: "development", frontendApiHost: "happy-otter-12.clerk.accounts.dev" },
    });
  });

  it("decodes a production key to the app's own clerk. subdomain", () => {
    expect(parsePublishableKey(publishableKey("live", "clerk.example.com"))).toEqual({
      ok: true,
      value: { instance: "production", frontendApiHost: "clerk.example.com" },
    });
  });

  it("ignores whitespace pasted around the key", () => {
    const parsed = parsePublishableKey(` ${publishableKey("test", "clerk.example.com")}\n`);
    expect(parsed.ok).toBe(true);
  });

  it("rejects a secret key and says why", () => {
    const parsed = parsePublishableKey("sk_test_abc123");
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining("secret key") });
  });

  it("rejects a key cut short in the middle of the host", () => {
    const key = publishableKey("test", "happy-otter-12.clerk.accounts.dev");
    const parsed = parsePublishableKey(key.slice(0, -8));
    expect(parsed.ok).toBe(false);
  });

  it("rejects a key whose payload is not a host followed by $", () => {
    expect(parsePublishableKey(`pk_test_${btoa("not a host$")}`).ok).toBe(false);
    expect(parsePublishableKey(`pk_test_${btoa("clerk.example.com")}`).ok).toBe(false);
  });

  it("rejects an empty or placeholder value", () => {
    expect(parsePublishableKey("").ok).toBe(false);
    expect(parsePublishableKey("pk_test_...").ok).toBe(false);
  });
});

describe("convexSiteUrl", () => {
  it("turns a cloud deployment's .convex.cloud into .convex.site", () => {
    expect(convexSiteUrl("https://happy-animal-123.convex.cloud")).toBe(
      "https://happy-animal-123.convex.site",
    );
  });

  it("keeps a region in the host", () => {
    expect(convexSiteUrl("https://happy-animal-123.eu-west-1.convex.cloud/")).toBe(
      "https://happy-animal-123.eu-west-1.convex.site",
    );
  });

  it("uses the next port for a local deployment", () => {
    expect(convexSiteUrl("http://127.0.0.1:3210")).toBe("http://127.0.0.1:3211");
  });

  it("cannot derive a self-hosted or malformed URL", () => {
    expect(convexSiteUrl("https://convex.example.com")).toBeUndefined();
    expect(convexSiteUrl("happy-animal-123.convex.cloud")).toBeUndefined();
  });
});

describe("parseConvexUrl", () => {
  it("accepts any https origin: Convex cloud, a custom domain, a self-hosted backend", () => {
    for (const url of [
      "https://happy-animal-123.convex.cloud",
      "https://api.example.com",
      "https://convex.example.org:8443",
    ]) {
      expect(parseConvexUrl(`${url}/`)).toMatchObject({ ok: true, value: { url, local: false } });
    }
  });

  it("accepts plain http only on this machine", () => {
    expect(parseConvexUrl("http://localhost:3210")).toMatchObject({ ok: true, value: { local: true } });
    expect(parseConvexUrl("http://127.0.0.1:3210")).toMatchObject({ ok: true, value: { local: true } });
    expect(parseConvexUrl("http://api.example.com")).toMatchObject({
      ok: false,
      suggestion: "https://api.example.com",
    });
  });

  it("knows the site URL only where the URL says it", () => {
    const site = (url: string) => {
      const parsed = parseConvexUrl(url);
      return parsed.ok ? parsed.value.siteUrl : "refused";
    };
    expect(site("https://happy-animal-123.convex.cloud")).toBe("https://happy-animal-123.convex.site");
    expect(site("http://localhost:3210")).toBe("http://localhost:3211");
    expect(site("https://api.example.com")).toBeUndefined();
  });

  it("points from the .convex.site URL, https or not, to the client URL", () => {
    for (const url of ["https://happy-animal-123.convex.site", "http://happy-animal-123.convex.site"]) {
      expect(parseConvexUrl(url)).toMatchObject({
        ok: false,
        suggestion: "https://happy-animal-123.convex.cloud",
      });
    }
  });

  it.each([
    "",
    "happy-animal-123.convex.cloud",
    "https://a b.com",
    "https://x.convex.cloud/api",
    "wss://x.io",
  ])("refuses %j", (url) => {
    expect(parseConvexUrl(url).ok).toBe(false);
  });
});

describe("webhookUrl", () => {
  it("appends the webhook path once, with or without a trailing slash", () => {
    expect(webhookUrl("https://happy-animal-123.convex.site")).toBe(
      "https://happy-animal-123.convex.site/clerk-users-webhook",
    );
    expect(webhookUrl("https://happy-animal-123.convex.site/")).toBe(
      "https://happy-animal-123.convex.site/clerk-users-webhook",
    );
  });
});

describe("parseWebhookSecret", () => {
  const secretOf = (bytes: number) => `whsec_${btoa("k".repeat(bytes))}`;

  it(`accepts a whsec_ secret whose key has ${MIN_WEBHOOK_KEY_BYTES} bytes or more`, () => {
    expect(parseWebhookSecret(secretOf(MIN_WEBHOOK_KEY_BYTES))).toEqual({
      ok: true,
      value: { keyBytes: 24 },
    });
    expect(parseWebhookSecret(secretOf(32)).ok).toBe(true);
  });

  it("refuses keys shorter than 24 bytes, the ones a forger can guess", () => {
    for (const secret of ["whsec_Kg==", "whsec_dGVzdA==", secretOf(MIN_WEBHOOK_KEY_BYTES - 1)]) {
      expect(parseWebhookSecret(secret)).toEqual({ ok: false, error: expect.stringContaining("bytes") });
    }
  });

  it("refuses a value without the whsec_ prefix or with a body that is not base64", () => {
    for (const secret of ["", "whsec_", "whsec_test!", secretOf(32).slice("whsec_".length), "sk_test_abc"]) {
      expect(parseWebhookSecret(secret).ok).toBe(false);
    }
  });

  it("never quotes the secret in its error", () => {
    const secret = "whsec_c2hvcnQ=";
    const parsed = parseWebhookSecret(secret);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).not.toContain("c2hvcnQ");
  });
});
