// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { CheckResult } from "./checks.ts";
import { formatReport } from "./report.ts";

const okCheck: CheckResult = { status: "ok", label: "Node", detail: "24.22.3 (needs >=22.12)" };
const problemCheck: CheckResult = {
  status: "problem",
  label: "CLERK_WEBHOOK_SECRET",
  detail: "not set on the deployment",
  fix: "pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...",
};
const skippedCheck: CheckResult = { status: "skipped", label: "CLERK_SECRET_KEY", detail: "offline" };
const url = "https://happy-animal-123.convex.site/clerk-users-webhook";
const dev = (webhookUrl: string | undefined) => ({
  webhookUrl,
  local: false,
  target: "development" as const,
});

describe("formatReport", () => {
  it("prints one line per check, with the fix on the problem's own line", () => {
    const lines = formatReport([okCheck, problemCheck], dev(url)).text.split("\n").slice(1);
    expect(lines[0]).toBe("[ok]      Node: 24.22.3 (needs >=22.12)");
    expect(lines[1]).toBe(
      "[problem] CLERK_WEBHOOK_SECRET: not set on the deployment → pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...",
    );
  });

  it("prints the webhook URL and the events to subscribe to, the organization ones as for Organizations only", () => {
    const { text } = formatReport([okCheck], dev(url));
    expect(text).toContain(`URL:    ${url}`);
    expect(text).toContain(
      "Events: user.created, user.updated, user.deleted; with Organizations also: organization.created, organization.updated, organization.deleted, organizationMembership.created, organizationMembership.updated, organizationMembership.deleted",
    );
  });

  it("offers no URL to paste for a local deployment: a tunnel, or pnpm sync:clerk", () => {
    const local = "http://127.0.0.1:3211/clerk-users-webhook";
    const { text } = formatReport([okCheck], { webhookUrl: local, local: true, target: "development" });
    expect(text).not.toContain(local);
    expect(text).toContain("cannot reach a local deployment");
    expect(text).toContain("tunnel");
    expect(text).toContain("`pnpm sync:clerk`");
  });

  it("names the deployment it checked first, or that none is configured", () => {
    const checked = formatReport([okCheck], {
      ...dev(url),
      deployment: "https://happy-otter-123.convex.cloud",
    });
    expect(checked.text.split("\n")[0]).toBe(
      "Checked: the development deployment https://happy-otter-123.convex.cloud",
    );
    expect(formatReport([okCheck], dev(url)).text.split("\n")[0]).toBe(
      "Checked: the development deployment (none configured yet)",
    );
  });

  it("exits non-zero when a check found a problem", () => {
    expect(formatReport([okCheck, problemCheck], dev(url)).exitCode).toBe(1);
  });

  it("exits non-zero when a check could not run, says so, and never says all is well", () => {
    const report = formatReport([okCheck, skippedCheck], dev(url));
    expect(report.exitCode).toBe(1);
    expect(report.text).toContain("1 check could not run");
    expect(report.text).not.toContain("No problems found");
  });

  it("says no problems and exits zero only when every check passed", () => {
    const report = formatReport([okCheck], dev(url));
    expect(report).toEqual({ text: expect.stringContaining("No problems found."), exitCode: 0 });
  });

  it("shows a control character from a deployment value escaped, never raw", () => {
    const hostile: CheckResult = {
      status: "ok",
      label: "CLERK_JWT_ISSUER_DOMAIN",
      detail: "https://a\u001b[2Jb",
    };
    const { text } = formatReport([hostile], dev("https://x.convex.site\u001b]8;;evil\u0007"));
    const controls = [...text].filter((char) => char !== "\n" && (char.codePointAt(0) ?? 0) < 0x20);
    expect(controls).toEqual([]);
    expect(text).toContain("https://a\\x1b[2Jb");
  });

  it("says where the production webhook URL is when the deployment did not give it", () => {
    const { text } = formatReport([okCheck], { webhookUrl: undefined, local: false, target: "production" });
    expect(text).toContain("Settings → General");
    expect(text).toContain("production instance → Webhooks");
  });

  it("says where the webhook URL will come from when it is not known yet", () => {
    expect(formatReport([okCheck], dev(undefined)).text).toContain(
      "not in packages/backend/.env.local (`pnpm setup:convex` writes it as VITE_CONVEX_SITE_URL)",
    );
  });
});
