import { api } from "@repo/backend/api";
import { convexSiteUrl, handledEventTypes, webhookUrl } from "@repo/shared/config";
import { useConvexAuth, useQuery } from "convex/react";
import type { ReactNode } from "react";
import { CopyableCommand } from "./copyable-command.tsx";

type Props = {
  convexUrl: string;
  frontendApiHost: string;
  /** False while users.current has never answered: then the deployment itself is the first suspect. */
  convexAnswered: boolean;
};

function Check({ ok, label, children }: { ok: boolean; label: ReactNode; children?: ReactNode }) {
  return (
    <li className="check">
      <span className={ok ? "badge badge-good" : "badge badge-bad"}>{ok ? "OK" : "Missing"}</span> {label}
      {ok ? null : children}
    </li>
  );
}

function DeploymentStatus({ frontendApiHost }: { frontendApiHost: string }) {
  const status = useQuery(api.setup.status);
  const { isAuthenticated } = useConvexAuth();
  if (status === undefined) return <p role="status">Asking the Convex deployment…</p>;
  return (
    <ul className="checks">
      <Check ok={status.webhookSecretConfigured} label={<code>CLERK_WEBHOOK_SECRET</code>}>
        <p>Copy the endpoint's Signing Secret from Clerk → Webhooks, then:</p>
        <CopyableCommand text="pnpm convex env set CLERK_WEBHOOK_SECRET whsec_…" />
      </Check>
      <Check ok={status.issuerDomainConfigured} label={<code>CLERK_JWT_ISSUER_DOMAIN</code>}>
        <CopyableCommand text={`pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://${frontendApiHost}`} />
      </Check>
      <Check ok={isAuthenticated} label="Convex accepts your Clerk sign-in">
        <p>
          Convex rejected the Clerk token: check that <code>CLERK_JWT_ISSUER_DOMAIN</code> is exactly{" "}
          <code>https://{frontendApiHost}</code> and that Convex is enabled in Clerk (Integrations → Convex).
        </p>
      </Check>
      <Check ok={status.lastVerifiedWebhookAt !== null} label="A verified webhook has arrived">
        <p>
          None yet. In Clerk → Webhooks → your endpoint, look at Message Attempts: a 400 means the signing
          secret differs, a 404 means the URL is wrong.
        </p>
      </Check>
      {status.lastVerifiedWebhookAt === null ? null : (
        <li className="muted">Last one: {new Date(status.lastVerifiedWebhookAt).toLocaleString()}</li>
      )}
    </ul>
  );
}

/** State 4, after a while: everything needed to find out why the webhook has not created the user. */
export function TroubleshootingPanel({ convexUrl, frontendApiHost, convexAnswered }: Props) {
  const siteUrl = convexSiteUrl(convexUrl);
  return (
    <section className="panel" aria-labelledby="troubleshoot-title">
      {convexAnswered ? (
        <>
          <h2 id="troubleshoot-title">Still waiting for Clerk's webhook</h2>
          <p>
            You are signed in to Clerk, but this Convex deployment has no user for you yet. It creates one
            when Clerk's webhook arrives.
          </p>
        </>
      ) : (
        <>
          <h2 id="troubleshoot-title">Convex has not answered</h2>
          <p>
            The app cannot reach the deployment at <code>{convexUrl}</code>. Check that it is running (
            <code>pnpm dev</code> starts <code>convex dev</code>) and that this browser is online. Once it
            answers, the checks below apply.
          </p>
        </>
      )}
      <h3>1. The endpoint in Clerk → Webhooks</h3>
      {siteUrl === undefined ? (
        <p>
          Use your deployment's HTTP Actions URL (Convex dashboard → Settings) followed by{" "}
          <code>/clerk-users-webhook</code>.
        </p>
      ) : (
        <CopyableCommand text={webhookUrl(siteUrl)} label="the webhook URL" />
      )}
      <p>Subscribe it to these events:</p>
      <ul className="events">
        {handledEventTypes.map((type) => (
          <li key={type}>
            <code>{type}</code>
          </li>
        ))}
      </ul>
      <h3>2. What the deployment reports</h3>
      <DeploymentStatus frontendApiHost={frontendApiHost} />
      <h3>3. Signed up before the webhook existed?</h3>
      <p>Copy existing Clerk users into Convex once (needs CLERK_SECRET_KEY on the deployment):</p>
      <CopyableCommand text="pnpm backfill" />
    </section>
  );
}
