/**
 * The steps of `pnpm smoke`, each printed PASS/FAIL with its time and, on failure, what to check. A failed
 * step skips the rest; cleanup runs whatever happened. Exit code: 0 all passed, 1 a step failed.
 */
import { handledEventTypes } from "@repo/shared/config";
import { runChecks } from "../setup-check/checks.ts";
import { type ClerkApi, ClerkApiError, type ClerkUser, SMOKE_MARKER } from "./clerk-api.ts";
import type { SmokeConfig } from "./config.ts";
import type { ConvexSide, SyncState } from "./convex-side.ts";

export type SmokeTiming = {
  /** Longest wait for one webhook's effect; Svix usually delivers within seconds. */
  webhookTimeoutMs: number;
  pollMs: number;
  /** A smoke user older than this is a leftover of an earlier run, and the sweep deletes it. */
  sweepAfterMs: number;
};

export const liveTiming: SmokeTiming = { webhookTimeoutMs: 60_000, pollMs: 1_500, sweepAfterMs: 30 * 60_000 };

type SmokeDeps = {
  config: SmokeConfig;
  clerk: ClerkApi;
  convex: ConvexSide;
  timing: SmokeTiming;
  runId: string;
  print: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/** A step that cannot run on this instance: not a failure, but said, with why. */
class StepSkipped extends Error {}

/** A step's failure: what happened, and what to check. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The `setup:check` verdicts that say nothing about this run: the tools' versions and where a value was read. */
const notForSmoke = new Set(["Node", "pnpm", "apps/web/.env.local"]);

function webhookHint(config: SmokeConfig): string {
  return [
    `Clerk dashboard → Webhooks: an endpoint at exactly ${config.webhookUrl}`,
    `subscribed to ${handledEventTypes.join(", ")}, whose Signing Secret is CLERK_WEBHOOK_SECRET on this deployment;`,
    "its Message Attempts show what the endpoint answered (`pnpm convex logs` shows the deployment's side).",
  ].join(" ");
}

function tokenClaims(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

export async function runSmoke(deps: SmokeDeps): Promise<number> {
  const { config, clerk, convex, timing, print } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const email = `smoke_${deps.runId}+clerk_test@example.com`;
  const lastName = `Run ${deps.runId}`;
  let user: ClerkUser | undefined;
  let deletedInClerk = false;
  /** Set once Clerk accepted the secret key: before that, the sweep could only fail the same way. */
  let clerkReached = false;
  let failed = false;

  async function step(number: number, title: string, body: () => Promise<string>): Promise<void> {
    const label = `${number} ${title}`;
    if (failed) {
      print(`SKIP  ${label}`);
      return;
    }
    const started = now();
    const took = () => `(${((now() - started) / 1000).toFixed(1)} s)`;
    try {
      const detail = await body();
      print(`PASS  ${label} ${took()}${detail ? ` — ${detail}` : ""}`);
    } catch (error) {
      if (error instanceof StepSkipped) {
        print(`SKIP  ${label} — ${error.message}`);
        return;
      }
      failed = true;
      print(`FAIL  ${label} ${took()}`);
      print(`      ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof StepFailure) print(`      check: ${error.hint}`);
      else if (error instanceof ClerkApiError) print(`      check: ${clerkHint(error)}`);
    }
  }

  /** Polls the deployment until `done` holds, or fails after the webhook timeout with the last state seen. */
  async function waitFor(
    clerkId: string,
    done: (state: SyncState) => boolean,
    what: string,
  ): Promise<SyncState> {
    const deadline = now() + timing.webhookTimeoutMs;
    for (;;) {
      const state = await convex.syncState(clerkId);
      if (done(state)) return state;
      if (now() >= deadline) {
        throw new StepFailure(
          `no ${what} after ${timing.webhookTimeoutMs / 1000} s (the deployment has ${describe(state)})`,
          webhookHint(config),
        );
      }
      await sleep(timing.pollMs);
    }
  }

  try {
    await step(1, "preflight", async () => {
      const problems = runChecks(config.doctorInputs).filter(
        (check) => check.status !== "ok" && !notForSmoke.has(check.label),
      );
      const first = problems[0];
      if (first !== undefined) {
        throw new StepFailure(`${first.label}: ${first.detail}`, first.fix ?? "run `pnpm setup:check`");
      }
      const keyInstance = config.secretKey.startsWith("sk_live_") ? "production" : "development";
      const pkInstance = config.publishableKey.startsWith("pk_live_") ? "production" : "development";
      if (keyInstance !== pkInstance) {
        throw new StepFailure(
          `CLERK_SECRET_KEY is a ${keyInstance} key but the publishable key is from a ${pkInstance} instance`,
          "use the secret key shown beside your publishable key (Clerk dashboard → API keys)",
        );
      }
      const frontendApi = await clerk.frontendApiUrl();
      clerkReached = true;
      const secretHost = frontendApi?.replace(/^https:\/\//, "").replace(/\/+$/, "");
      if (secretHost !== config.frontendApiHost) {
        throw new StepFailure(
          `CLERK_SECRET_KEY opens the instance at ${secretHost ?? "(no primary domain)"}, but the publishable key names ${config.frontendApiHost}`,
          "both keys must come from the same Clerk instance (Clerk dashboard → API keys)",
        );
      }
      const status = await convex.probeWebhook();
      if (status !== 400) {
        throw new StepFailure(
          `an unsigned POST to ${config.webhookUrl} got ${status}, not 400`,
          probeHint(status),
        );
      }
      return `one instance (${config.frontendApiHost}), webhook route refuses unsigned posts`;
    });

    await step(2, "create a user in Clerk", async () => {
      const startedAt = now();
      const created = await clerk.createUser({ email, firstName: "Smoke", lastName, startedAt });
      // Every later step renames or deletes this id: it must be the user just asked for, never someone else.
      const marker = created.private_metadata?.[SMOKE_MARKER] as { startedAt?: unknown } | undefined;
      const addresses = created.email_addresses?.map((address) => address.email_address) ?? [];
      if (!addresses.includes(email) || marker?.startedAt !== startedAt) {
        throw new StepFailure(
          `Clerk's answer names ${created.id}, which is not the user this run created (${email}); nothing will be changed or deleted`,
          "is CLERK_API_URL Clerk's Backend API (https://api.clerk.com/v1)? Delete the smoke user by hand if one was created (Clerk dashboard → Users)",
        );
      }
      user = created;
      return `${user.id} (${email}${user.first_name === null ? "; first and last name are off on this instance" : ""})`;
    });

    await step(3, "webhook writes the row", async () => {
      const clerkId = user?.id ?? "";
      const state = await waitFor(clerkId, (s) => s.row?.source === "clerk", "row from the webhook");
      return `"${state.row?.name}"`;
    });

    await step(4, "session token → ensureFromToken + current", async () => {
      // Clerk's Backend API: POST /v1/sessions "is not available for production instances".
      if (config.secretKey.startsWith("sk_live_")) {
        throw new StepSkipped(
          "Clerk creates sessions through its Backend API on development instances only; on production, sign in with the browser (the live workflow's Playwright spec) to prove this step",
        );
      }
      const clerkId = user?.id ?? "";
      const session = await clerk.createSession(clerkId);
      const jwt = await clerk.sessionToken(session.id, config.jwtTemplate);
      const claims = tokenClaims(jwt);
      let signedIn: Awaited<ReturnType<ConvexSide["signIn"]>> | undefined;
      let refusal = "";
      try {
        signedIn = await convex.signIn(jwt);
      } catch (error) {
        refusal = error instanceof Error ? error.message : String(error);
      }
      if (signedIn?.current == null) {
        throw new StepFailure(
          `Convex did not accept the session token (iss ${String(claims.iss)}, aud ${String(claims.aud)})${refusal ? `: ${refusal}` : ""}`,
          [
            `CLERK_JWT_ISSUER_DOMAIN on the deployment must be ${String(claims.iss)} (it is ${config.issuer ?? "unset"});`,
            'the Convex integration must be active (https://dashboard.clerk.com/apps/setup/convex), so session tokens carry aud "convex"',
            "(with the older JWT template named convex instead, set CLERK_JWT_TEMPLATE=convex).",
          ].join(" "),
        );
      }
      if (signedIn.current.clerkId !== clerkId) {
        throw new StepFailure(
          `users.current returned ${signedIn.current.clerkId}, not ${clerkId}`,
          "the token's subject is the Clerk user id",
        );
      }
      if (signedIn.ensuredId !== signedIn.current._id) {
        throw new StepFailure(
          `ensureFromToken returned ${signedIn.ensuredId}, users.current ${signedIn.current._id}: two rows for one user`,
          "ensureFromToken must return the existing row's id",
        );
      }
      const state = await convex.syncState(clerkId);
      if (state.row?.source !== "clerk") {
        throw new StepFailure(
          `after ensureFromToken the row is ${describe(state)}`,
          "a token must never replace the webhook's row",
        );
      }
      return "same row, no duplicate";
    });

    await step(5, "rename in Clerk → webhook updates the row", async () => {
      const clerkId = user?.id ?? "";
      // Without first and last names (turned off on the instance), the kit shows the username.
      const withNames = user?.first_name !== null;
      const expected = withNames ? `Renamed ${lastName}` : `smoke_${deps.runId}_renamed`;
      try {
        await clerk.renameUser(clerkId, withNames ? { first_name: "Renamed" } : { username: expected });
      } catch (error) {
        if (!(error instanceof ClerkApiError && error.status === 422)) throw error;
        throw new StepFailure(
          error.message,
          "the rename needs a name field: turn on First and last name, or Username (Clerk dashboard → Configure → User & authentication)",
        );
      }
      await waitFor(clerkId, (s) => s.row?.name === expected, `"${expected}"`);
      return `"${expected}"`;
    });

    await step(6, "delete in Clerk → row gone, tombstone kept", async () => {
      const clerkId = user?.id ?? "";
      await clerk.deleteUser(clerkId);
      deletedInClerk = true;
      await waitFor(clerkId, (s) => s.row === null && s.tombstoned, "deletion (row gone, tombstone)");
      return "";
    });
  } finally {
    const cleanupFailed = !(await cleanup());
    if (cleanupFailed) failed = true;
  }
  return failed ? 1 : 0;

  /** Deletes this run's user if it is still in Clerk, and smoke users earlier runs left behind. */
  async function cleanup(): Promise<boolean> {
    if (!clerkReached) {
      print("SKIP  7 cleanup — nothing was created");
      return true;
    }
    const started = now();
    try {
      const removed: string[] = [];
      if (user !== undefined && !deletedInClerk && (await clerk.deleteUser(user.id))) removed.push(user.id);
      const cutoff = now() - timing.sweepAfterMs;
      const pageSize = 100;
      for (let offset = 0, pages = 0; pages < 10; offset += pageSize, pages++) {
        const page = await clerk.listUsers("smoke_", offset, pageSize);
        if (page.length === 0) break;
        for (const leftover of page) {
          const marker = leftover.private_metadata?.[SMOKE_MARKER] as { startedAt?: unknown } | undefined;
          if (
            typeof marker?.startedAt === "number" &&
            marker.startedAt < cutoff &&
            leftover.id !== user?.id
          ) {
            if (await clerk.deleteUser(leftover.id)) removed.push(leftover.id);
          }
        }
      }
      print(
        `PASS  7 cleanup (${((now() - started) / 1000).toFixed(1)} s)${removed.length ? ` — deleted ${removed.join(", ")}` : ""}`,
      );
      return true;
    } catch (error) {
      print(`FAIL  7 cleanup (${((now() - started) / 1000).toFixed(1)} s)`);
      print(`      ${error instanceof Error ? error.message : String(error)}`);
      print(
        `      check: delete users named "Smoke Run …" by hand (Clerk dashboard → Users)${user ? `; this run's is ${user.id}` : ""}`,
      );
      return false;
    }
  }
}

function describe(state: SyncState): string {
  const row = state.row === null ? "no row" : `a row "${state.row.name}" from the ${state.row.source}`;
  return `${row}${state.tombstoned ? ", tombstoned" : ""}`;
}

function probeHint(status: number): string {
  if (status === 404)
    return "deploy the functions to this deployment (`pnpm dev` once, or `convex deploy` in CI)";
  if (status === 500)
    return "CLERK_WEBHOOK_SECRET on the deployment is missing or malformed: `pnpm setup:check`";
  return "is VITE_CONVEX_URL (or CONVEX_SITE_URL) this deployment's? `pnpm setup:check`";
}

function clerkHint(error: ClerkApiError): string {
  if (error.status === 401 || error.status === 403)
    return "Clerk refused CLERK_SECRET_KEY: copy it again from Clerk dashboard → API keys";
  if (error.status === 429) return "Clerk's rate limit held after several waits: run again in a minute";
  if (error.status === 422)
    return "the instance's sign-up settings refused the user (required fields?): see the message above";
  return "Clerk's status page, or run again";
}
