/**
 * Remembers the last message `webhook:send` sent (id, type, body), so `--replay` can deliver it again as
 * Svix does on a retry, and `--stale` knows which `updated_at` to undercut. Always under this package's
 * node_modules/.cache (git-ignored; no variable moves it), and checked before use: `--replay` signs what the
 * file holds, so it signs only a message this command could have built.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type ClerkEventType, isHandledEventType } from "@repo/shared/config";

export type LastMessage = {
  svixId: string;
  type: ClerkEventType;
  userId: string;
  body: string;
  /** The user's `updated_at` in that message (the event time for user.deleted). */
  updatedAt: number;
};

/** Far more than any event this command builds (about 2 KB). */
const MAX_BODY_CHARS = 64 * 1024;

export function defaultStatePath(): string {
  return fileURLToPath(new URL("../../node_modules/.cache/webhook-send/last-message.json", import.meta.url));
}

/** The remembered message; `undefined` when there is none; `{ invalid }` when the file is not one we wrote. */
export function readLastMessage(path: string): LastMessage | undefined | { invalid: string } {
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return { invalid: "it is not JSON" };
  }
  const problem = checkMessage(json);
  return problem === undefined ? (json as LastMessage) : { invalid: problem };
}

function checkMessage(json: unknown): string | undefined {
  const message = json as Partial<Record<keyof LastMessage, unknown>> | null;
  if (typeof message !== "object" || message === null) return "it is not an object";
  const { svixId, type, userId, body, updatedAt } = message;
  if (typeof svixId !== "string" || !/^msg_[A-Za-z0-9]{1,64}$/.test(svixId)) return "bad svixId";
  if (typeof type !== "string" || !isHandledEventType(type)) return "bad type";
  if (typeof userId !== "string" || !/^user_[A-Za-z0-9]{1,64}$/.test(userId)) return "bad userId";
  if (typeof updatedAt !== "number" || !Number.isSafeInteger(updatedAt)) return "bad updatedAt";
  if (typeof body !== "string" || body.length > MAX_BODY_CHARS) return "bad body";
  let event: { type?: unknown; data?: EventData } | null;
  try {
    event = JSON.parse(body);
  } catch {
    return "its body is not JSON";
  }
  if (event?.type !== type || !namesItsSubject(type, event.data, userId)) {
    return "its body is not that event for that user";
  }
  return undefined;
}

type EventData = { id?: unknown; public_user_data?: { user_id?: unknown } } | undefined;

/**
 * Whether the body is about what webhook:send built it for: a user event names the user, a membership event
 * the member; an organization event names no user, only an organization id of Clerk's shape.
 */
function namesItsSubject(type: ClerkEventType, data: EventData, userId: string): boolean {
  if (type.startsWith("user.")) return data?.id === userId;
  if (type.startsWith("organizationMembership.")) return data?.public_user_data?.user_id === userId;
  return typeof data?.id === "string" && /^org_[A-Za-z0-9]{1,64}$/.test(data.id);
}

export function writeLastMessage(path: string, message: LastMessage): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(message, null, 2)}\n`);
}
