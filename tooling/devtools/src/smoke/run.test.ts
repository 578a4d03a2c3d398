// @vitest-environment node

import { fakeClerkUser } from "@repo/backend/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clerkApi, SMOKE_MARKER } from "./clerk-api.ts";
import { resolveConfig, type SmokeConfig } from "./config.ts";
import type { ConvexSide, SyncState } from "./convex-side.ts";
import { type FakeClerk, type FakeUser, startFakeClerk, type UserEvent } from "./fake-clerk.testkit.ts";
import { runSmoke, type SmokeTiming } from "./run.ts";

const frontendApiHost = "happy-otter-12.clerk.accounts.dev";
const issuer = `https://${frontendApiHost}`;
const publishableKey = `pk_test_${Buffer.from(`${frontendApiHost}$`).toString("base64")}`;
const webhookSecret = `whsec_${Buffer.from("a test signing secret, 32 bytes!").toString("base64")}`;
// Short waits: a webhook that has not landed in a second here never will.
const timing: SmokeTiming = { webhookTimeoutMs: 400, pollMs: 20, sweepAfterMs: 60_000 };

/**
 * The deployment as the smoke script sees it: rows keyed by Clerk id, written by Clerk's events (unless the
 * webhook is "not registered") and by a token whose issuer and audience it trusts, following the kit's rule.
 */
class FakeConvex implements ConvexSide {
  rows = new Map<string, { id: string; name: string; source: "token" | "clerk" }>();
  tombstones = new Set<string>();
  webhookDelivers = true;
  keepsTombstones = true;
  trustedIssuer = issuer;
  webhookStatus = 400;
  private nextId = 1;

  deliver = (event: UserEvent) => {
    if (!this.webhookDelivers) return;
    const { user } = event;
    if (event.type === "user.deleted") {
      this.rows.delete(user.id);
      if (this.keepsTombstones) this.tombstones.add(user.id);
      return;
    }
    if (this.tombstones.has(user.id)) return;
    // The kit's name: first and last name, else the username.
    const name =
      [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || "Unnamed user";
    const existing = this.rows.get(user.id);
    this.rows.set(user.id, { id: existing?.id ?? `row${this.nextId++}`, name, source: "clerk" });
  };

  async probeWebhook() {
    return this.webhookStatus;
  }

  async syncState(clerkId: string): Promise<SyncState> {
    const row = this.rows.get(clerkId);
    return {
      row: row ? { name: row.name, source: row.source } : null,
      tombstoned: this.tombstones.has(clerkId),
    };
  }

  async signIn(token: string) {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<
      string,
      string
    >;
    const accepted = claims.iss === this.trustedIssuer && claims.aud === "convex";
    // What ConvexHttpClient throws for ensureFromToken when the deployment treats the caller as signed out.
    if (!accepted)
      throw new Error('Uncaught ConvexError: {"code":"NOT_SIGNED_IN","message":"Sign in first."}');
    const clerkId = claims.sub ?? "";
    let ensuredId: string | null = null;
    if (!this.tombstones.has(clerkId)) {
      const existing = this.rows.get(clerkId);
      if (existing) ensuredId = existing.id;
      else {
        ensuredId = `row${this.nextId++}`;
        this.rows.set(clerkId, { id: ensuredId, name: "Unnamed user", source: "token" });
      }
    }
    const row = this.rows.get(clerkId);
    return { ensuredId, current: row ? { _id: row.id, clerkId } : null };
  }
}

let clerk: FakeClerk;
let convex: FakeConvex;
let lines: string[];
let waits: number[];

beforeEach(async () => {
  clerk = await startFakeClerk({ frontendApiHost });
  convex = new FakeConvex();
  clerk.onUserEvent = convex.deliver;
  lines = [];
  waits = [];
});

afterEach(() => clerk.close());

async function config(overrides: Record<string, string> = {}): Promise<SmokeConfig> {
  const resolved = await resolveConfig({
    processEnv: { CLERK_API_URL: clerk.url, CLERK_SECRET_KEY: clerk.secretKey },
    webEnv: {
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
    },
    backendEnv: {
      CONVEX_DEPLOYMENT: "dev:happy-animal-123",
      CONVEX_URL: "https://happy-animal-123.convex.cloud",
    },
    readDeploymentEnv: async () => ({
      ok: true,
      vars: { CLERK_JWT_ISSUER_DOMAIN: issuer, CLERK_WEBHOOK_SECRET: webhookSecret, ...overrides },
    }),
    allowLive: false,
    nodeVersion: "24.0.0",
  });
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.config;
}

async function smoke(configOverrides: Record<string, string> = {}, secretKey = clerk.secretKey) {
  const resolved = await config(configOverrides);
  return runSmoke({
    config: resolved,
    clerk: clerkApi({
      baseUrl: resolved.clerkApiUrl,
      secretKey,
      maxRetryAfterMs: 50,
      onRateLimited: (ms) => waits.push(ms),
    }),
    convex,
    timing,
    runId: "t1",
    print: (line) => lines.push(line),
  });
}

const output = () => lines.join("\n");
const stepLine = (n: number) => lines.find((line) => new RegExp(`^(PASS|FAIL|SKIP)  ${n} `).test(line)) ?? "";

function oldSmokeUser(startedAt: number, marked = true): FakeUser {
  const n = clerk.users.size;
  const user: FakeUser = {
    ...fakeClerkUser({
      id: `user_old${n}`,
      firstName: "Smoke",
      lastName: "Run old",
      emails: [`smoke_old${n}+clerk_test@example.com`],
      createdAt: startedAt,
    }),
    private_metadata: marked ? { [SMOKE_MARKER]: { startedAt } } : {},
  };
  clerk.users.set(user.id, user);
  return user;
}

describe("pnpm smoke against a fake Clerk and a fake deployment", () => {
  it("passes every step, in order, with timings, and leaves no user behind", async () => {
    expect(await smoke()).toBe(0);
    for (const n of [1, 2, 3, 4, 5, 6, 7])
      expect(stepLine(n)).toMatch(new RegExp(`^PASS  ${n} .*\\(\\d+\\.\\d s\\)`));
    expect(clerk.users.size).toBe(0);
    const [clerkId] = [...convex.tombstones];
    expect(clerkId).toMatch(/^user_/);
    expect(convex.rows.size).toBe(0);
    expect(clerk.requests).toEqual([
      "GET /domains",
      "POST /users",
      "POST /sessions",
      `POST /sessions/${clerk.requests[3]?.split("/")[2]}/tokens`,
      `PATCH /users/${clerkId}`,
      `DELETE /users/${clerkId}`,
      "GET /users",
    ]);
  });

  it("stops before any PATCH or DELETE when Clerk's create answer names a user that is not its own", async () => {
    const someoneElse: FakeUser = {
      ...fakeClerkUser({ id: "user_someoneReal", emails: ["real.person@example.com"] }),
      private_metadata: {},
    };
    clerk.users.set(someoneElse.id, someoneElse);
    clerk.createAnswer = someoneElse;
    expect(await smoke()).toBe(1);
    expect(stepLine(2)).toMatch(/^FAIL {2}2 /);
    expect(output()).toContain("user_someoneReal");
    expect(clerk.users.get(someoneElse.id)).toBe(someoneElse);
    expect(clerk.requests.filter((request) => /^(PATCH|DELETE) /.test(request))).toEqual([]);
  });

  it("asks for a JWT template's token only when CLERK_JWT_TEMPLATE names one", async () => {
    const resolved = await resolveConfig({
      processEnv: {
        CLERK_API_URL: clerk.url,
        CLERK_SECRET_KEY: clerk.secretKey,
        CLERK_JWT_TEMPLATE: "convex",
      },
      webEnv: {
        VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
        VITE_CLERK_PUBLISHABLE_KEY: publishableKey,
      },
      backendEnv: { CONVEX_DEPLOYMENT: "dev:happy-animal-123" },
      readDeploymentEnv: async () => ({
        ok: true,
        vars: { CLERK_JWT_ISSUER_DOMAIN: issuer, CLERK_WEBHOOK_SECRET: webhookSecret },
      }),
      allowLive: false,
      nodeVersion: "24.0.0",
    });
    if (!resolved.ok) throw new Error(resolved.message);
    const code = await runSmoke({
      config: resolved.config,
      clerk: clerkApi({ baseUrl: clerk.url, secretKey: clerk.secretKey }),
      convex,
      timing,
      runId: "t2",
      print: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(clerk.requests.some((r) => /^POST \/sessions\/sess_\w+\/tokens\/convex$/.test(r))).toBe(true);
  });

  it("fails at step 3 with the webhook troubleshooting when the webhook never arrives, and still deletes the user", async () => {
    convex.webhookDelivers = false;
    expect(await smoke()).toBe(1);
    expect(stepLine(2)).toMatch(/^PASS/);
    expect(stepLine(3)).toMatch(/^FAIL {2}3 webhook writes the row/);
    expect(output()).toContain("no row from the webhook after 0.4 s (the deployment has no row)");
    expect(output()).toContain("https://happy-animal-123.convex.site/clerk-users-webhook");
    expect(output()).toContain("Message Attempts");
    for (const n of [4, 5, 6]) expect(stepLine(n)).toMatch(/^SKIP/);
    expect(stepLine(7)).toMatch(/^PASS {2}7 cleanup .* deleted user_/);
    expect(clerk.users.size).toBe(0);
  });

  it("fails at step 4 naming the issuer and the Convex integration when the deployment rejects the token", async () => {
    convex.trustedIssuer = "https://other-instance-99.clerk.accounts.dev";
    expect(await smoke()).toBe(1);
    expect(stepLine(3)).toMatch(/^PASS/);
    expect(stepLine(4)).toMatch(/^FAIL {2}4 /);
    expect(output()).toContain(`Convex did not accept the session token (iss ${issuer}, aud convex)`);
    expect(output()).toContain("NOT_SIGNED_IN");
    expect(output()).toContain(`CLERK_JWT_ISSUER_DOMAIN on the deployment must be ${issuer}`);
    expect(output()).toContain("the Convex integration must be active");
    expect(clerk.users.size).toBe(0);
  });

  it("fails at step 4 when the token creates a second row beside the webhook's", async () => {
    const signIn = convex.signIn.bind(convex);
    convex.signIn = async (token) => ({ ...(await signIn(token)), ensuredId: "row999" });
    expect(await smoke()).toBe(1);
    expect(output()).toContain("two rows for one user");
  });

  it("creates its user on an instance with first and last name off and password its only sign-in, and renames through the username", async () => {
    clerk.close();
    clerk = await startFakeClerk({ frontendApiHost, namesOff: true, passwordOnly: true });
    clerk.onUserEvent = convex.deliver;
    expect(await smoke()).toBe(0);
    expect(stepLine(2)).toContain("first and last name are off on this instance");
    // Refused for the names, then for the missing password, then created.
    expect(clerk.requests.filter((r) => r === "POST /users")).toHaveLength(3);
    expect(stepLine(5)).toContain('"smoke_t1_renamed"');
    expect(clerk.users.size).toBe(0);
  });

  it("fails the rename naming the Clerk settings to turn on when the instance has neither names nor usernames", async () => {
    clerk.close();
    clerk = await startFakeClerk({ frontendApiHost, namesOff: true, usernamesOff: true });
    clerk.onUserEvent = convex.deliver;
    expect(await smoke()).toBe(1);
    expect(stepLine(4)).toMatch(/^PASS/);
    expect(stepLine(5)).toMatch(/^FAIL/);
    expect(output()).toContain("form_param_unknown: username is not a valid parameter for this request.");
    expect(output()).toContain("turn on First and last name, or Username");
    expect(clerk.users.size).toBe(0);
  });

  it("on a production instance skips the token step, which Clerk's POST /v1/sessions offers development instances only", async () => {
    const liveHost = "clerk.example.com";
    clerk.close();
    clerk = await startFakeClerk({ frontendApiHost: liveHost, production: true });
    clerk.onUserEvent = convex.deliver;
    convex.trustedIssuer = `https://${liveHost}`;
    const resolved = await resolveConfig({
      processEnv: { CLERK_API_URL: clerk.url, CLERK_SECRET_KEY: clerk.secretKey },
      webEnv: {
        VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
        VITE_CLERK_PUBLISHABLE_KEY: `pk_live_${Buffer.from(`${liveHost}$`).toString("base64")}`,
      },
      backendEnv: { CONVEX_DEPLOYMENT: "prod:happy-animal-123" },
      readDeploymentEnv: async () => ({
        ok: true,
        vars: { CLERK_JWT_ISSUER_DOMAIN: `https://${liveHost}`, CLERK_WEBHOOK_SECRET: webhookSecret },
      }),
      allowLive: true,
      nodeVersion: "24.0.0",
    });
    if (!resolved.ok) throw new Error(resolved.message);
    const code = await runSmoke({
      config: resolved.config,
      clerk: clerkApi({ baseUrl: clerk.url, secretKey: clerk.secretKey }),
      convex,
      timing,
      runId: "t3",
      print: (line) => lines.push(line),
    });
    expect(stepLine(4)).toMatch(/^SKIP {2}4 .*development instances only/);
    expect(clerk.requests).not.toContain("POST /sessions");
    for (const n of [1, 2, 3, 5, 6, 7]) expect(stepLine(n)).toMatch(/^PASS/);
    expect(code).toBe(0);
  });

  it("waits out a 429 for its Retry-After, capped, and carries on", async () => {
    clerk.rateLimit("POST", "/users", 2, 7);
    expect(await smoke()).toBe(0);
    expect(waits).toEqual([50, 50]); // 7 s asked, capped at the test's 50 ms
    expect(clerk.requests.filter((r) => r === "POST /users")).toHaveLength(3);
  });

  it("fails the step when 429s outlast the retries, with a hint", async () => {
    clerk.rateLimit("POST", "/users", 10, 1);
    expect(await smoke()).toBe(1);
    expect(stepLine(2)).toMatch(/^FAIL/);
    expect(output()).toContain("answered 429");
    expect(output()).toContain("rate limit");
  });

  it("fails preflight, creating no user, when the webhook route does not answer an unsigned POST with 400", async () => {
    convex.webhookStatus = 500;
    expect(await smoke()).toBe(1);
    expect(stepLine(1)).toMatch(/^FAIL {2}1 preflight/);
    expect(output()).toContain("got 500, not 400");
    expect(output()).toContain("CLERK_WEBHOOK_SECRET");
    expect(clerk.requests).not.toContain("POST /users");
  });

  it("fails preflight when the deployment trusts another instance's issuer (setup:check's check)", async () => {
    expect(await smoke({ CLERK_JWT_ISSUER_DOMAIN: "https://other-instance-99.clerk.accounts.dev" })).toBe(1);
    expect(output()).toContain("issuer ↔ publishable key");
    expect(clerk.requests).not.toContain("POST /users");
  });

  it("fails preflight when the webhook secret is not set on the deployment", async () => {
    expect(await smoke({ CLERK_WEBHOOK_SECRET: "" })).toBe(1);
    expect(stepLine(1)).toMatch(/^FAIL/);
    expect(output()).toContain("CLERK_WEBHOOK_SECRET: not set on the deployment");
  });

  it("fails preflight when the secret key opens another Clerk instance than the publishable key", async () => {
    clerk.close();
    clerk = await startFakeClerk({ frontendApiHost: "other-instance-99.clerk.accounts.dev" });
    clerk.onUserEvent = convex.deliver;
    expect(await smoke()).toBe(1);
    expect(output()).toContain("opens the instance at other-instance-99.clerk.accounts.dev");
  });

  it("fails preflight with Clerk's refusal when the secret key is wrong", async () => {
    expect(await smoke({}, "sk_test_wrong")).toBe(1);
    expect(output()).toContain("answered 401");
    expect(output()).toContain("Clerk refused CLERK_SECRET_KEY");
    expect(stepLine(7)).toBe("SKIP  7 cleanup — nothing was created");
  });

  it("fails at step 5 when the rename never reaches the deployment", async () => {
    clerk.onUserEvent = (event) => {
      if (event.type !== "user.updated") convex.deliver(event);
    };
    expect(await smoke()).toBe(1);
    expect(stepLine(5)).toMatch(/^FAIL/);
    expect(output()).toContain(
      'no "Renamed Run t1" after 0.4 s (the deployment has a row "Smoke Run t1" from the clerk)',
    );
    expect(clerk.users.size).toBe(0);
  });

  it("fails at step 6 when the row goes but no tombstone stays", async () => {
    convex.keepsTombstones = false;
    expect(await smoke()).toBe(1);
    expect(stepLine(6)).toMatch(/^FAIL/);
    expect(output()).toContain("no deletion (row gone, tombstone)");
  });

  it("sweeps smoke users older runs left, and nobody else", async () => {
    const old = oldSmokeUser(Date.now() - 2 * 60 * 60_000);
    const recent = oldSmokeUser(Date.now() - 1_000);
    const unmarked = oldSmokeUser(Date.now() - 2 * 60 * 60_000, false);
    expect(await smoke()).toBe(0);
    expect(stepLine(7)).toContain(`deleted ${old.id}`);
    expect([...clerk.users.keys()].sort()).toEqual([recent.id, unmarked.id].sort());
  });

  it("exits 1 when cleanup itself fails, naming the user to delete by hand", async () => {
    convex.webhookDelivers = false;
    clerk.failWith("DELETE", "/users/", 500);
    expect(await smoke()).toBe(1);
    expect(stepLine(7)).toMatch(/^FAIL {2}7 cleanup/);
    expect(output()).toMatch(/this run's is user_\w+/);
  });
});
