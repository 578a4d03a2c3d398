/**
 * Remembers the last message `webhook:send` sent (id, type, body), so `--replay` can deliver it again as
 * Svix does on a retry, and `--stale` knows which `updated_at` to undercut. Kept under node_modules/.cache,
 * which git ignores; WEBHOOK_SEND_STATE_FILE moves it (the tests use that).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClerkEventType } from "@repo/shared/config";

export type LastMessage = {
  svixId: string;
  type: ClerkEventType;
  userId: string;
  body: string;
  /** The user's `updated_at` in that message (the event time for user.deleted). */
  updatedAt: number;
};

export function defaultStatePath(): string {
  return (
    process.env.WEBHOOK_SEND_STATE_FILE ??
    fileURLToPath(new URL("../../node_modules/.cache/webhook-send/last-message.json", import.meta.url))
  );
}

export function readLastMessage(path: string): LastMessage | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LastMessage;
  } catch {
    return undefined;
  }
}

export function writeLastMessage(path: string, message: LastMessage): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(message, null, 2)}\n`);
}
