// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseClerkEvent } from "@repo/backend/clerk/parse";
import { handledEventTypes } from "@repo/shared/config";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Delivery, type Endpoint, endpointSecret, startEndpoint } from "./endpoint.testkit.ts";
import { defaultUserId } from "./message.ts";
import { runWebhookSend, type SendIo } from "./send.ts";

let endpoint: Endpoint;
let url: string;
let deliveries: Delivery[];
let stateDir: string;
let output: string[];
let errors: string[];
let clock: number;

beforeAll(async () => {
  endpoint = await startEndpoint();
  ({ url, deliveries } = endpoint);
});

afterAll(() => endpoint.close());

beforeEach(() => {
  deliveries.length = 0;
  stateDir = mkdtempSync(join(tmpdir(), "webhook-send-"));
  output = [];
  errors = [];
  clock = Date.now();
});

afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

function io(overrides: Partial<SendIo> = {}): SendIo {
  return {
    env: { CLERK_WEBHOOK_SECRET: endpointSecret },
    readWebEnv: () => ({}),
    statePath: join(stateDir, "last-message.json"),
    now: () => clock,
    fetch,
    log: (line) => output.push(line),
    error: (line) => errors.push(line),
    ...overrides,
  };
}

const send = (...argv: string[]) => runWebhookSend([...argv, "--url", url], io());

/** The event the endpoint accepted on its `index`-th delivery. */
function event(index: number) {
  const delivery = deliveries[index];
  if (delivery === undefined) throw new Error(`no delivery ${index}; got ${deliveries.length}`);
  const parsed = parseClerkEvent(delivery.body);
  if (parsed.kind !== "event") throw new Error(`delivery ${index} is not a Clerk user event`);
  return parsed.event;
}

describe("webhook:send against an endpoint that verifies with svix", () => {
  it("delivers a user.created that verifies and parses as a Clerk event, and prints the 200", async () => {
    expect(await send("user.created")).toBe(0);
    expect(event(0)).toMatchObject({ type: "user.created", data: { id: defaultUserId, updated_at: clock } });
    expect(output).toContain("200 OK");
    expect(output).toContain('{"ok":true}');
  });

  it("puts the given user id, email and names into the event", async () => {
    const argv = ["user.updated", "--user-id", "user_2nQ3cXrD9a", "--email", "grace@example.com"];
    expect(await send(...argv, "--first-name", "Grace", "--last-name", "Hopper")).toBe(0);
    const sent = event(0);
    if (sent.type !== "user.updated") throw new Error("expected user.updated");
    expect(sent.data).toMatchObject({ id: "user_2nQ3cXrD9a", first_name: "Grace", last_name: "Hopper" });
    expect(sent.data.email_addresses?.map((address) => address.email_address)).toEqual(["grace@example.com"]);
  });

  it("delivers a user.deleted for the user", async () => {
    expect(await send("user.deleted", "--user-id", "user_2nQ3cXrD9a")).toBe(0);
    expect(event(0)).toEqual({ type: "user.deleted", data: { id: "user_2nQ3cXrD9a" } });
  });

  it("delivers organization and membership events that parse as Clerk's, with the given ids and role", async () => {
    const org = ["--org-id", "org_2nQ3cXrD9a", "--user-id", "user_2nQ3cXrD9a"];
    expect(await send("organization.created", ...org)).toBe(0);
    expect(await send("organizationMembership.created", ...org, "--role", "org:admin")).toBe(0);
    expect(await send("organization.deleted", ...org)).toBe(0);
    expect(event(0)).toMatchObject({ type: "organization.created", data: { clerkOrgId: "org_2nQ3cXrD9a" } });
    expect(event(1)).toMatchObject({
      type: "organizationMembership.created",
      data: {
        membership: { clerkOrgId: "org_2nQ3cXrD9a", clerkUserId: "user_2nQ3cXrD9a", role: "org:admin" },
      },
    });
    expect(event(2)).toEqual({ type: "organization.deleted", data: { id: "org_2nQ3cXrD9a" } });
  });

  it("--replay resends the same svix id and body with a fresh signature", async () => {
    await send("user.created");
    clock += 90_000;
    expect(await send("--replay")).toBe(0);
    const [first, replayed] = deliveries;
    expect(replayed?.svixId).toBe(first?.svixId);
    expect(replayed?.body).toBe(first?.body);
    expect(replayed?.signature).not.toBe(first?.signature);
  });

  it.each(handledEventTypes)(
    "--replay resends a %s as it was sent (every type webhook:send sends)",
    async (type) => {
      expect(await send(type, "--org-id", "org_2nQ3cXrD9a")).toBe(0);
      clock += 90_000;
      expect(await send("--replay")).toBe(0);
      expect(errors).toEqual([]);
      const [first, replayed] = deliveries;
      expect(replayed?.svixId).toBe(first?.svixId);
      expect(replayed?.body).toBe(first?.body);
    },
  );

  it("--svix-id sends a new body under the given message id", async () => {
    expect(await send("user.updated", "--svix-id", "msg_2nQ3cXrD9aTestMessageId00")).toBe(0);
    expect(deliveries[0]?.svixId).toBe("msg_2nQ3cXrD9aTestMessageId00");
  });

  it("--stale sends an updated_at older than the last one sent for the user", async () => {
    await send("user.created");
    clock += 60_000;
    await send("user.updated", "--stale");
    const [created, stale] = [event(0), event(1)];
    if (created.type !== "user.created" || stale.type !== "user.updated") throw new Error("expected upserts");
    expect(stale.data.id).toBe(created.data.id);
    expect(stale.data.updated_at).toBeLessThan(created.data.updated_at);
  });

  it("prints the endpoint's 400 and fails when signed with the wrong secret", async () => {
    const wrongSecret = `whsec_${Buffer.from("some other endpoint's secret....").toString("base64")}`;
    const code = await runWebhookSend(["user.created", "--url", url, "--secret", wrongSecret], io());
    expect(code).not.toBe(0);
    expect(output).toContain("400 Bad Request");
    expect(output).toContain("Invalid webhook signature");
    expect(deliveries).toEqual([]);
  });

  it("derives the URL from VITE_CONVEX_URL when --url is not given", async () => {
    const requested: string[] = [];
    // A real deployment host: record where the request would go instead of sending it anywhere.
    const recordOnly = async (input: string | URL | Request) => {
      requested.push(String(input));
      return new Response("ok");
    };
    const webEnv = { VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud" };
    const code = await runWebhookSend(["user.created"], io({ readWebEnv: () => webEnv, fetch: recordOnly }));
    expect(code).toBe(0);
    expect(requested).toEqual(["https://happy-animal-123.convex.site/clerk-users-webhook"]);
  });
});

describe("webhook:send refuses to guess", () => {
  it("without a secret, it says where to get one and sends nothing", async () => {
    const code = await runWebhookSend(["user.created", "--url", url], io({ env: {} }));
    expect(code).toBe(2);
    expect(errors.join("\n")).toContain("CLERK_WEBHOOK_SECRET");
    expect(deliveries).toEqual([]);
  });

  it("without a URL or VITE_CONVEX_URL, it says how to get one", async () => {
    expect(await runWebhookSend(["user.created"], io())).toBe(2);
    expect(errors.join("\n")).toContain("pnpm setup:convex");
  });

  it("rejects a --user-id that is not a Clerk user id, before sending anything", async () => {
    expect(await send("user.created", "--user-id", "ada2")).toBe(2);
    expect(errors[0]).toContain("--user-id takes a Clerk user id");
    expect(deliveries).toEqual([]);
  });

  it("rejects an event type it does not send", async () => {
    expect(await send("session.created")).toBe(2);
    expect(errors[0]).toContain("unknown event type");
  });

  it.each([
    ["not JSON", () => "{oops"],
    [
      "a body for another user than it names",
      (last: string) => {
        const message = JSON.parse(last);
        return JSON.stringify({ ...message, userId: "user_someoneElse" });
      },
    ],
    [
      "an arbitrary body",
      (last: string) =>
        JSON.stringify({ ...JSON.parse(last), body: '{"type":"user.deleted","data":{"id":"x"}}' }),
    ],
  ])("refuses to --replay a state file that is %s, and sends nothing", async (_label, tamper) => {
    expect(await send("user.created")).toBe(0);
    const path = join(stateDir, "last-message.json");
    writeFileSync(path, tamper(readFileSync(path, "utf8")));
    expect(await send("--replay")).toBe(2);
    expect(errors.join("\n")).toContain("not a message webhook:send wrote");
    expect(deliveries).toHaveLength(1);
  });

  it("keeps its state under node_modules/.cache, whatever the environment says", async () => {
    const { defaultStatePath } = await import("./state.ts");
    process.env.WEBHOOK_SEND_STATE_FILE = "/etc/passwd";
    try {
      expect(defaultStatePath()).toMatch(
        /[/\\]node_modules[/\\]\.cache[/\\]webhook-send[/\\]last-message\.json$/,
      );
    } finally {
      delete process.env.WEBHOOK_SEND_STATE_FILE;
    }
  });

  it("has nothing to --replay before a first message", async () => {
    expect(await send("--replay")).toBe(2);
    expect(errors[0]).toContain("nothing to replay");
  });
});
