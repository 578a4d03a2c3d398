/** `pnpm webhook:send`: resolve where and with which secret, build or recall the message, sign it, POST it. */

import type { EnvFile } from "@repo/backend/scripts/env-file.ts";
import { convexSiteUrl, webhookUrl } from "@repo/shared/config";
import { buildEventBody, defaultUserId, newSvixId, signDelivery } from "./message.ts";
import { parseSendOptions, type SendOptions, usage } from "./options.ts";
import { type LastMessage, readLastMessage, writeLastMessage } from "./state.ts";

export type SendIo = {
  /** Process environment (for CLERK_WEBHOOK_SECRET). */
  env: Record<string, string | undefined>;
  /** Reads apps/web/.env.local (empty when it does not exist). */
  readWebEnv: () => EnvFile;
  statePath: string;
  now: () => number;
  fetch: typeof fetch;
  log: (line: string) => void;
  error: (line: string) => void;
};

const HOUR = 60 * 60 * 1000;

class UsageError extends Error {}

function resolveUrl(options: SendOptions, io: SendIo): string {
  if (options.url !== undefined) return options.url;
  const convexUrl = io.readWebEnv().VITE_CONVEX_URL;
  const siteUrl = convexUrl ? convexSiteUrl(convexUrl) : undefined;
  if (siteUrl === undefined) {
    throw new UsageError(
      convexUrl
        ? `cannot derive the webhook URL from VITE_CONVEX_URL=${convexUrl}; pass --url https://<name>.convex.site/clerk-users-webhook`
        : "no VITE_CONVEX_URL in apps/web/.env.local (run `pnpm setup:convex`), or pass --url",
    );
  }
  return webhookUrl(siteUrl);
}

function resolveSecret(options: SendOptions, io: SendIo): string {
  const secret = options.secret ?? io.env.CLERK_WEBHOOK_SECRET;
  if (!secret) {
    throw new UsageError(
      "no signing secret: pass --secret whsec_… or set CLERK_WEBHOOK_SECRET (the deployment's value: `pnpm convex env get CLERK_WEBHOOK_SECRET`)",
    );
  }
  return secret;
}

/** The message to send: the remembered one for --replay, else a new one built from the options. */
function message(options: SendOptions, io: SendIo, now: number): LastMessage {
  const remembered = readLastMessage(io.statePath);
  if (remembered !== undefined && "invalid" in remembered && options.replay) {
    throw new UsageError(
      `not replaying ${io.statePath}: ${remembered.invalid}, so it is not a message webhook:send wrote. Send an event first.`,
    );
  }
  const last = remembered !== undefined && "invalid" in remembered ? undefined : remembered;
  if (options.replay) {
    if (last === undefined) throw new UsageError("nothing to replay yet: send an event first");
    if (options.type !== undefined && options.type !== last.type) {
      throw new UsageError(`the last message was ${last.type}, not ${options.type}`);
    }
    return last;
  }
  const type = options.type;
  if (type === undefined) throw new UsageError("which event?");
  const userId = options.userId ?? defaultUserId;
  // Older than anything sent for this user so far, so the backend must treat it as out of order.
  const updatedAt = options.stale ? (last?.userId === userId ? last.updatedAt : now) - HOUR : now;
  const body = buildEventBody(type, { ...options, userId }, updatedAt);
  return { svixId: options.svixId ?? newSvixId(`${now}:${Math.random()}`), type, userId, body, updatedAt };
}

/** Runs the command and returns its exit code: 0 only when the endpoint answered 2xx. */
export async function runWebhookSend(argv: string[], io: SendIo): Promise<number> {
  let prepared: { url: string; secret: string; sending: LastMessage };
  try {
    const options = parseSendOptions(argv);
    if (options.help) {
      io.log(usage);
      return 0;
    }
    const now = io.now();
    prepared = {
      url: resolveUrl(options, io),
      secret: resolveSecret(options, io),
      sending: message(options, io, now),
    };
  } catch (error) {
    io.error(`webhook:send: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof UsageError)) io.error(`\n${usage}`);
    return 2;
  }

  const { url, secret, sending } = prepared;
  let headers: Record<string, string>;
  try {
    headers = signDelivery(secret, sending.svixId, sending.body, new Date(io.now()));
  } catch (error) {
    io.error(
      `webhook:send: cannot sign with that secret (${error instanceof Error ? error.message : error})`,
    );
    return 2;
  }
  // Remembered before sending: a failed delivery is exactly what one wants to --replay after a fix.
  writeLastMessage(io.statePath, sending);
  io.log(`POST ${url}`);
  io.log(
    `  ${sending.type} for ${sending.userId}, svix-id ${sending.svixId}, updated_at ${sending.updatedAt}`,
  );

  let response: Response;
  try {
    response = await io.fetch(url, { method: "POST", headers, body: sending.body });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    io.error(
      `webhook:send: could not reach ${url} (${error instanceof Error ? error.message : error}${cause})`,
    );
    return 1;
  }
  const text = await response.text();
  io.log(`${response.status} ${response.statusText}`);
  if (text !== "") io.log(text);
  return response.ok ? 0 : 1;
}
