import { useAuth } from "@clerk/react";
import { useConvexAuth } from "convex/react";
import { ConvexProviderWithClerk } from "convex/react-clerk";
import { BrowserRouter } from "react-router";
import { convexClientFor } from "./convex-client.ts";
import { AuthProblem } from "./diagnostics/auth-problem.tsx";
import { useWebEnv } from "./env.ts";
import { MembershipNote } from "./membership-note.tsx";
import { NavBar } from "./nav-bar.tsx";
import { ProfileGate } from "./profile-gate.tsx";
import { AppRoutes } from "./routes.tsx";
import { Status } from "./status.tsx";

/**
 * Signed in to Clerk. Convex receives Clerk's session token with every request and checks it against
 * auth.config.ts; until it has, nothing here may assume a signed-in user. The Convex provider and the router
 * sit here rather than around the whole app to keep them (about 21 KB and 13 KB gzip) off the signed-out
 * page: for public queries, move the provider up into app.tsx around <AuthGate />; public pages also need
 * their routes in auth-gate.tsx, outside <Show when="signed-in"> (README → Add a page).
 */
export function SignedIn() {
  const { convexUrl } = useWebEnv();
  const { userId } = useAuth();
  return (
    <ConvexProviderWithClerk client={convexClientFor(convexUrl)} useAuth={useAuth}>
      <BrowserRouter>
        <NavBar />
        <MembershipNote />
        {/* A new Clerk user (another account, no reload) starts from a clean slate. */}
        <ConvexSession key={userId} />
      </BrowserRouter>
    </ConvexProviderWithClerk>
  );
}

/** Convex's answer decides, not Clerk's: signed in to Clerk does not mean Convex accepted the token. */
function ConvexSession() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  if (isLoading) return <Status label="Signing you in to Convex…" slow="convex" />;
  return isAuthenticated ? (
    <ProfileGate>
      <AppRoutes />
    </ProfileGate>
  ) : (
    <AuthProblem />
  );
}
