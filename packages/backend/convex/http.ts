/**
 * Clerk's webhook endpoint: verify the Svix signature, parse the event, hand it to users.ts. The status
 * codes are for Svix: 2xx ends a delivery; anything else is retried with backoff, so a fixed deployment can
 * still recover it. Each delivery logs one line (svix id, type, outcome) and never the payload's contents.
 */
import { type ClerkUserEvent, parseClerkEvent } from "@repo/shared/clerk";
import { WEBHOOK_PATH } from "@repo/shared/config";
import { userFieldsFromClerk } from "@repo/shared/user";
import { httpRouter } from "convex/server";
import { Webhook } from "svix";
import { internal } from "./_generated/api";
import { type ActionCtx, httpAction } from "./_generated/server";

const http = httpRouter();

http.route({
  path: WEBHOOK_PATH, // "/clerk-users-webhook", shared with the web app and the tools
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    // #region verify
    // Read per request: a throw at module load would break `convex deploy` for the whole app.
    const secret = process.env.CLERK_WEBHOOK_SECRET;
    if (!secret) return misconfigured("is not set on this Convex deployment");

    const svixId = request.headers.get("svix-id");
    const timestamp = request.headers.get("svix-timestamp");
    const signature = request.headers.get("svix-signature");
    if (!svixId || !timestamp || !signature) return reply(400, { svixId, outcome: "missing svix headers" });

    // 1. Verify the raw text: re-serialised JSON would not match the signature.
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      return misconfigured("is not a valid signing secret (whsec_…)");
    }
    const body = await request.text();
    try {
      webhook.verify(body, { "svix-id": svixId, "svix-timestamp": timestamp, "svix-signature": signature });
    } catch (error) {
      return reply(400, { svixId, outcome: `not verified: ${errorMessage(error)}` });
    }
    // #endregion verify

    // #region parse
    // 2. Parse. A signed body that is not a valid event is still answered with a 4xx, so that Svix keeps it
    // for a retry or a manual replay once the cause is fixed.
    const parsed = parseClerkEvent(body);
    if (parsed.kind === "invalid") return reply(422, { svixId, outcome: `invalid: ${parsed.error}` });
    if (parsed.kind === "unhandled") return reply(200, { svixId, type: parsed.type, outcome: "ignored" });

    // 3. Dispatch. A throw means the mutation rolled back; a 500 makes Svix deliver it again. Its error is
    // not repeated here: it can quote the arguments, which hold personal data (Convex logs it with the
    // mutation, where only the deployment's team sees it).
    const { type } = parsed.event;
    try {
      return reply(200, { svixId, type, outcome: await dispatch(ctx, svixId, parsed.event) });
    } catch {
      return reply(500, { svixId, type, outcome: "failed; the mutation rolled back" });
    }
    // #endregion parse
  }),
});

export default http;

// #region dispatch
function dispatch(ctx: ActionCtx, svixId: string, event: ClerkUserEvent): Promise<string> {
  if (event.type === "user.deleted") {
    return ctx.runMutation(internal.users.deleteFromClerk, { clerkId: event.data.id, svixId });
  }
  const user = userFieldsFromClerk(event.data);
  return ctx.runMutation(internal.users.upsertFromClerk, { user, svixId, eventType: event.type });
}
// #endregion dispatch

type Delivery = { svixId: string | null; type?: string; outcome: string };

function reply(status: number, delivery: Delivery): Response {
  // JSON-quoted, because the svix id of an unverified request is whatever the sender put there.
  const fields = { svixId: delivery.svixId, type: delivery.type ?? null, outcome: delivery.outcome };
  const line = `clerk-users-webhook ${status} ${JSON.stringify(fields)}`;
  if (status >= 500) console.error(line);
  else if (status >= 400) console.warn(line);
  else console.log(line);
  return new Response(delivery.outcome, { status });
}

function misconfigured(problem: string): Response {
  console.error(
    `clerk-users-webhook 500 CLERK_WEBHOOK_SECRET ${problem}. Copy the signing secret of the endpoint in ` +
      "Clerk → Webhooks and run `npx convex env set CLERK_WEBHOOK_SECRET whsec_...`.",
  );
  return new Response("Webhook secret not configured on the server", { status: 500 });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
