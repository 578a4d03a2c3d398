/**
 * Clerk's webhook endpoint: check the size, verify the Svix signature, parse the event, hand it to a mutation.
 * Svix retries every non-2xx answer alike (for about 28 hours) unless the answer carries Svix's delivery
 * control header `webhook-delivery: abort-message`: a verified delivery that can never succeed (413, 422) says
 * so; a 400 (maybe our secret is wrong) and a 5xx (transient) are retried. Each delivery logs one line and
 * never the payload's contents.
 */
import { parseWebhookSecret } from "@repo/shared/config";
import { Webhook } from "svix";
import { internal } from "../_generated/api";
import { type ActionCtx, httpAction } from "../_generated/server";
import { userFieldsFromClerk } from "./fields";
import { type ClerkEvent, parseClerkEvent } from "./parse";

/** Clerk's user events are a few KB; nothing this big is one, so it is refused before it is read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How much of a value a sender chose (an unverified svix-id, an event type) a log line may quote. */
const MAX_LOGGED_CHARS = 64;
/** Statuses that no retry can turn into a success: Svix is told to stop. */
const HOPELESS = new Set([413, 422]);

/** POST /clerk-users-webhook (registered in convex/http.ts). */
export const clerkWebhook = httpAction(async (ctx, request) => {
  // Read per request: a throw at module load would break `convex deploy` for the whole app.
  const secret = process.env.CLERK_WEBHOOK_SECRET;
  if (!secret) return misconfigured("is not set on this Convex deployment");
  // A short key can be guessed; svix would accept it, so it is refused here.
  const checked = parseWebhookSecret(secret);
  if (!checked.ok) return misconfigured(`is not a usable signing secret: ${checked.error}`);
  const webhook = new Webhook(secret.trim());

  const svixId = request.headers.get("svix-id");
  const timestamp = request.headers.get("svix-timestamp");
  const signature = request.headers.get("svix-signature");
  if (!svixId || !timestamp || !signature) return reply(400, { svixId, outcome: "missing svix headers" });

  const body = await readBody(request);
  if (body === undefined) return reply(413, { svixId, outcome: `body over ${MAX_BODY_BYTES} bytes` });
  // The raw text: JSON parsed and serialised again would not match the signature.
  try {
    webhook.verify(body, { "svix-id": svixId, "svix-timestamp": timestamp, "svix-signature": signature });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return reply(400, { svixId, outcome: `not verified: ${reason}` });
  }

  const parsed = parseClerkEvent(body);
  if (parsed.kind === "invalid") return reply(422, { svixId, outcome: `invalid: ${parsed.error}` });
  if (parsed.kind === "unhandled") return reply(200, { svixId, type: parsed.type, outcome: "ignored" });
  const { event } = parsed;

  // A throw means the mutation rolled back and Svix will deliver again. Its error is not repeated here:
  // it can quote the arguments, which hold personal data (Convex logs it with the mutation).
  const { type } = event;
  try {
    return reply(200, { svixId, type, outcome: await dispatch(ctx, event) });
  } catch {
    return reply(500, { svixId, type, outcome: "failed; the mutation rolled back" });
  }
});

function dispatch(ctx: ActionCtx, event: ClerkEvent): Promise<string> {
  switch (event.type) {
    case "user.created":
    case "user.updated":
      return ctx.runMutation(internal.clerk.users.upsertFromClerk, { user: userFieldsFromClerk(event.data) });
    case "user.deleted":
      return ctx.runMutation(internal.clerk.users.deleteFromClerk, { clerkId: event.data.id });
    case "organization.created":
    case "organization.updated":
      return ctx.runMutation(internal.clerk.orgs.upsertOrganizationFromClerk, { organization: event.data });
    case "organization.deleted":
      return ctx.runMutation(internal.clerk.orgs.deleteOrganizationFromClerk, { clerkOrgId: event.data.id });
    case "organizationMembership.created":
    case "organizationMembership.updated":
    case "organizationMembership.deleted": {
      const deleted = event.type === "organizationMembership.deleted";
      return ctx.runMutation(internal.clerk.orgs.applyMembershipFromClerk, { ...event.data, deleted });
    }
  }
}

/** The body as text, or undefined once it passes the limit (by its declared length or by what arrives). */
async function readBody(request: Request): Promise<string | undefined> {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) return undefined;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return await new Blob(chunks).text();
}

type Delivery = { svixId: string | null; type?: string; outcome: string };

function reply(status: number, delivery: Delivery): Response {
  // JSON-quoted and cut short, because before verification these are whatever the sender put there.
  const fields = {
    svixId: quote(delivery.svixId),
    type: quote(delivery.type ?? null),
    outcome: delivery.outcome,
  };
  const line = `clerk-users-webhook ${status} ${JSON.stringify(fields)}`;
  if (status >= 500) console.error(line);
  else if (status >= 400) console.warn(line);
  else console.log(line);
  const headers: Record<string, string> = HOPELESS.has(status) ? { "webhook-delivery": "abort-message" } : {};
  return new Response(delivery.outcome, { status, headers });
}

function quote(value: string | null): string | null {
  return value === null || value.length <= MAX_LOGGED_CHARS ? value : `${value.slice(0, MAX_LOGGED_CHARS)}…`;
}

function misconfigured(problem: string): Response {
  console.error(
    `clerk-users-webhook 500 CLERK_WEBHOOK_SECRET ${problem}. Copy the Signing Secret of the endpoint in ` +
      "Clerk → Webhooks and run `pnpm convex env set CLERK_WEBHOOK_SECRET whsec_...`.",
  );
  return new Response("Webhook secret not configured on the server", { status: 500 });
}
