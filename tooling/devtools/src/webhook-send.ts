/** `pnpm webhook:send <user.created|user.updated|user.deleted>`: see webhook/options.ts for the options. */
import { readEnvFile } from "@repo/backend/scripts/env-file.ts";
import { runWebhookSend } from "./webhook/send.ts";
import { defaultStatePath } from "./webhook/state.ts";

process.exitCode = await runWebhookSend(process.argv.slice(2), {
  env: process.env,
  readWebEnv: () => readEnvFile(new URL("../../../apps/web/.env.local", import.meta.url)),
  statePath: defaultStatePath(),
  now: Date.now,
  fetch,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});
