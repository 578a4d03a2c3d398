// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { CheckResult } from "./checks.ts";
import { formatReport } from "./report.ts";

const okCheck: CheckResult = { status: "ok", label: "Node", detail: "20.20.0 (needs >=20.19)" };
const problemCheck: CheckResult = {
  status: "problem",
  label: "CLERK_WEBHOOK_SECRET",
  detail: "not set on the deployment",
  fix: "pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...",
};
const skippedCheck: CheckResult = { status: "skipped", label: "CLERK_SECRET_KEY", detail: "offline" };
const events = ["user.created", "user.updated", "user.deleted"];
const url = "https://happy-animal-123.convex.site/clerk-users-webhook";

describe("formatReport", () => {
  it("prints one line per check, with the fix on the problem's own line", () => {
    const lines = formatReport([okCheck, problemCheck], url, events).text.split("\n");
    expect(lines[0]).toBe("[ok]      Node: 20.20.0 (needs >=20.19)");
    expect(lines[1]).toBe(
      "[problem] CLERK_WEBHOOK_SECRET: not set on the deployment → pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...",
    );
  });

  it("prints the webhook URL and the events to subscribe to", () => {
    const { text } = formatReport([okCheck], url, events);
    expect(text).toContain(`URL:    ${url}`);
    expect(text).toContain("Events: user.created, user.updated, user.deleted");
  });

  it("exits non-zero when a check found a problem", () => {
    expect(formatReport([okCheck, problemCheck], url, events).exitCode).toBe(1);
  });

  it("exits zero when checks were only skipped, and says how many could not run", () => {
    const report = formatReport([okCheck, skippedCheck], url, events);
    expect(report.exitCode).toBe(0);
    expect(report.text).toContain("1 check could not run");
  });

  it("says where the webhook URL will come from when it is not known yet", () => {
    expect(formatReport([okCheck], undefined, events).text).toContain("unknown until VITE_CONVEX_URL is set");
  });
});
