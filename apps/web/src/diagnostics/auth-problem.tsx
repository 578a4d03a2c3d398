import { SignOutButton, useAuth } from "@clerk/react";
import { api } from "@repo/backend/api";
import { useQuery } from "convex/react";
import { useWebEnv } from "../env.ts";
import { CopyableCommand } from "./copyable-command.tsx";

const CLERK_CONVEX_INTEGRATION_URL = "https://dashboard.clerk.com/apps/setup/convex";

/**
 * Signed in to Clerk, but Convex rejected the token: the most common Clerk + Convex problem. Names the
 * likely cause first, from what the deployment (setup.status, a public query) and the session token say.
 */
export function AuthProblem() {
  const { clerkFrontendApiHost: host } = useWebEnv();
  const { sessionClaims } = useAuth();
  const status = useQuery(api.setup.status);
  const setIssuer = `pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://${host}`;
  // Clerk's Convex integration puts `aud: "convex"` in the session token; without it (and without a JWT
  // template named `convex`) Clerk has no token for Convex at all.
  const integrationOn = sessionClaims?.aud === "convex";

  return (
    <article className="card" role="alert" aria-labelledby="auth-problem-title">
      <h1 id="auth-problem-title">Convex did not accept your sign-in</h1>
      <p>
        You are signed in to Clerk, but this Convex deployment rejected Clerk's token, so it cannot tell who
        you are. This is a setup problem between Clerk and Convex, not something the user did.
      </p>
      {status === undefined ? (
        <p role="status">Asking the deployment what it knows…</p>
      ) : !status.issuerDomainConfigured ? (
        <section aria-labelledby="cause-title">
          <h2 id="cause-title">The deployment does not know your Clerk instance</h2>
          <p>
            <code>CLERK_JWT_ISSUER_DOMAIN</code> is not set on the deployment, so auth.config.ts trusts no
            one. Set it to your Clerk Frontend API URL:
          </p>
          <CopyableCommand text={setIssuer} />
        </section>
      ) : !integrationOn ? (
        <section aria-labelledby="cause-title">
          <h2 id="cause-title">Clerk's Convex integration is not active</h2>
          <p>
            Clerk issues a token for Convex only once it is on:{" "}
            <a href={CLERK_CONVEX_INTEGRATION_URL} target="_blank" rel="noreferrer">
              Clerk dashboard → Integrations → Convex
            </a>{" "}
            → Activate. Then sign out and in again.
          </p>
        </section>
      ) : (
        <section aria-labelledby="cause-title">
          <h2 id="cause-title">The deployment trusts another Clerk instance</h2>
          <p>
            <code>CLERK_JWT_ISSUER_DOMAIN</code> is set, but not to the instance this app signs in with (
            <code>{host}</code>), for example a production URL on a development deployment. Set it to:
          </p>
          <CopyableCommand text={setIssuer} />
        </section>
      )}
      <p className="muted">
        auth.config.ts reads <code>CLERK_JWT_ISSUER_DOMAIN</code> when it is pushed: after changing it,
        restart <code>pnpm dev</code> (its <code>convex dev</code> pushes again) and reload this page.{" "}
        <code>pnpm setup:check</code> checks the whole setup.
      </p>
      <SignOutButton>
        <button type="button" className="button button-secondary">
          Sign out
        </button>
      </SignOutButton>
    </article>
  );
}
