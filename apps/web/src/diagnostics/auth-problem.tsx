import { useAuth } from "@clerk/react";
import { useWebEnv } from "../env.ts";
import { SignOut } from "../sign-out.tsx";
import { CopyableCommand } from "./copyable-command.tsx";

const CLERK_CONVEX_INTEGRATION_URL = "https://dashboard.clerk.com/apps/setup/convex";

/**
 * Signed in to Clerk, but Convex rejected the token: the most common Clerk + Convex problem. Two causes
 * cover nearly every case; the session token's audience says which to check first.
 */
export function AuthProblem() {
  const { clerkFrontendApiHost: host } = useWebEnv();
  const { sessionClaims } = useAuth();
  // Clerk's Convex integration puts `aud: "convex"` in the session token. Without it, Convex gets a token
  // only from a JWT template named `convex`, if one exists.
  const integrationOn = sessionClaims?.aud === "convex";

  const integration = (
    <li key="integration">
      <strong>Clerk's Convex integration is off.</strong> Open{" "}
      <a href={CLERK_CONVEX_INTEGRATION_URL} target="_blank" rel="noreferrer">
        Clerk dashboard → Convex integration
      </a>
      , select <em>Activate Convex integration</em>, then sign out and in again.
    </li>
  );
  const issuer = (
    <li key="issuer">
      <strong>The deployment trusts another Clerk instance.</strong> <code>CLERK_JWT_ISSUER_DOMAIN</code> must
      be the Frontend API URL of the instance this app signs in with (<code>{host}</code>), for example not a
      production URL on a development deployment. Set it (it takes effect at once), then reload this page:
      <CopyableCommand text={`pnpm convex env set CLERK_JWT_ISSUER_DOMAIN https://${host}`} />
    </li>
  );

  return (
    <article className="card" role="alert" aria-labelledby="auth-problem-title">
      <h1 id="auth-problem-title">Convex did not accept your sign-in</h1>
      <p>
        You are signed in to Clerk, but this Convex deployment rejected Clerk's token, so it cannot tell who
        you are. This is a setup problem between Clerk and Convex. The likely causes, most likely first:
      </p>
      <ol>{integrationOn ? [issuer, integration] : [integration, issuer]}</ol>
      <p className="muted">
        <code>pnpm setup:check</code> compares your publishable key with the deployment's settings.
      </p>
      <SignOut />
    </article>
  );
}
