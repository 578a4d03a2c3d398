import { api } from "@repo/backend/api";
import { convexSiteUrl, handledEventTypes, webhookUrl } from "@repo/shared/config";
import { useQuery } from "convex/react";
import { useWebEnv } from "../env.ts";
import { useDelayPassed } from "../use-delay-passed.ts";
import { CopyableCommand } from "./copyable-command.tsx";

/** A webhook normally lands within seconds of sign-up; this long without one means it is not coming. */
export const WEBHOOK_NOTE_AFTER_MS = 20_000;

const LOCAL = /^http:\/\/(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]):/;

/**
 * Under the user card while only the sign-in token has written the user's row: after a while, a quiet note
 * on why Clerk's webhook has not confirmed it. The app works meanwhile; profile changes made in Clerk only
 * reach Convex through the webhook (or `pnpm sync:clerk`).
 */
export function WebhookNote() {
  const { convexUrl } = useWebEnv();
  const due = useDelayPassed(WEBHOOK_NOTE_AFTER_MS);
  if (!due) return null;
  const siteUrl = convexSiteUrl(convexUrl);
  const local = LOCAL.test(convexUrl);

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
          Your deployment's HTTP Actions URL (Convex dashboard → Settings) followed by{" "}
          <code>/clerk-users-webhook</code>.
        </p>
      ) : (
        <CopyableCommand text={webhookUrl(siteUrl)} label="the webhook URL" />
      )}
      <p>
        Subscribed to{" "}
        {handledEventTypes.map((type, index) => (
          <span key={type}>
            {index > 0 ? ", " : ""}
            <code>{type}</code>
          </span>
        ))}
        .
      </p>
      <SecretCheck />
      <p>
        Clerk → Webhooks → your endpoint → Message Attempts shows each delivery: a 400 means the signing
        secret differs, a 404 means the URL is wrong, none at all means the endpoint or its events are
        missing.
      </p>
    </details>
  );
}

function SecretCheck() {
  const status = useQuery(api.setup.status);
  if (status === undefined || status.webhookSecretConfigured) return null;
  return (
    <>
      <p>
        <span className="badge badge-bad">Missing</span> <code>CLERK_WEBHOOK_SECRET</code> on the deployment.
        Copy the endpoint's Signing Secret, then:
      </p>
      <CopyableCommand text="pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…" />
    </>
  );
}
