import { useAuth } from "@clerk/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { convexClientFor } from "./convex-client.ts";
import { UserSync } from "./user-sync.tsx";

type Props = { convexUrl: string; frontendApiHost: string };

// #region provider
/**
 * Everything that talks to Convex, loaded only once Clerk reports a session: the signed-out page then ships
 * without the Convex client (about 22 KB gzip). To query Convex while signed out, move this provider up into
 * app.tsx.
 */
export function SignedInApp({ convexUrl, frontendApiHost }: Props) {
  return (
    // Convex receives Clerk's session token with every request and checks it against auth.config.ts.
    <ConvexProviderWithClerk client={convexClientFor(convexUrl)} useAuth={useAuth}>
      <UserSync convexUrl={convexUrl} frontendApiHost={frontendApiHost} />
    </ConvexProviderWithClerk>
  );
}
// #endregion provider
