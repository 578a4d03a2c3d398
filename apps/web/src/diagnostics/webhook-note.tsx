import { api } from "@repo/backend/api";
import {
  organizationEventTypes,
  parseConvexUrl,
  SITE_URL_HINT,
  userEventTypes,
  WEBHOOK_PATH,
  webhookUrl,
} from "@repo/shared/config";
import { useQuery } from "convex/react";
import { useWebEnv } from "../env.ts";
import { useDelayPassed } from "../use-delay-passed.ts";
import { CopyableCommand } from "./copyable-command.tsx";

/** A webhook normally lands within seconds of sign-up; this long without one means it is not coming. */
export const WEBHOOK_NOTE_AFTER_MS = 20_000;

/**
 * Under the user card while only the sign-in token has written the user's row: after a while, a quiet note
 * on why Clerk's webhook has not confirmed it. The app works meanwhile; profile changes made in Clerk only
 * reach Convex through the webhook (or `pnpm sync:clerk`).
 */
export function WebhookNote() {
  const { convexUrl } = useWebEnv();
  const due = useDelayPassed(WEBHOOK_NOTE_AFTER_MS);
  if (!due) return null;
  const parsed = parseConvexUrl(convexUrl);
  const { siteUrl, local } = parsed.ok ? parsed.value : { siteUrl: undefined, local: false };

  return (
    <details className="note">
      <summary>Clerk's webhook has not reached this deployment yet</summary>
      {local ? (
        <p>
          This is a local deployment: Clerk's servers cannot reach <code>{siteUrl}</code> on your machine, so
          your row comes from your sign-in token only. Run <code>pnpm sync:clerk</code> to copy your Clerk
          profile in, or expose the port with a tunnel and use its URL for the endpoint below.
        </p>
      ) : (
        <p>
          Your row comes from your sign-in token. Changes you make in Clerk reach Convex only through the
          webhook, so check these:
        </p>
      )}
      <h3>The endpoint in Clerk → Webhooks</h3>
      {siteUrl === undefined ? (
        <p>
          Its URL: {SITE_URL_HINT}, followed by <code>{WEBHOOK_PATH}</code>.
        </p>
      ) : (
        <CopyableCommand text={webhookUrl(siteUrl)} label="the webhook URL" />
      )}
      <p>
        Subscribed to <EventList types={userEventTypes} />; with Clerk Organizations, also{" "}
        <EventList types={organizationEventTypes} />.
      </p>
      <DeploymentChecks />
      <p>
        Clerk → Webhooks → your endpoint → Message Attempts shows each delivery: a 400 means the signing
        secret differs, a 404 means the URL is wrong, none at all means the endpoint or its events are
        missing.
      </p>
    </details>
  );
}

/** What the deployment itself can tell (api.setup.status answers yes or no, never a value). */
function DeploymentChecks() {
  const status = useQuery(api.setup.status);
  if (status === undefined) return null;
  if (!status.webhookSecretConfigured) {
    return (
      <>
        <p>
          <span className="badge badge-bad">Missing</span> <code>CLERK_WEBHOOK_SECRET</code> on the
          deployment. Copy the endpoint's Signing Secret, then:
        </p>
        <CopyableCommand text="pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…" />
      </>
    );
  }
  return (
    <p>
      {status.webhookApplied
        ? "Other users' profiles from Clerk have reached this deployment, so the endpoint probably works: look for your user among the Message Attempts."
        : "No webhook has been applied on this deployment yet: check the URL and the events above first."}
    </p>
  );
}

function EventList({ types }: { types: readonly string[] }) {
  return types.map((type, index) => (
    <span key={type}>
      {index > 0 ? ", " : ""}
      <code>{type}</code>
    </span>
  ));
}
