import { ClerkProvider } from "@clerk/react";
import { AuthGate } from "./auth-gate.tsx";
import { type WebEnv, WebEnvContext } from "./env.ts";

/**
 * The configured app: Clerk around everything; Convex and the router join once someone is signed in
 * (signed-in.tsx), and the pages (routes.tsx) once Convex has their profile.
 */
export function App({ env }: { env: WebEnv }) {
  return (
    <WebEnvContext value={env}>
      <ClerkProvider publishableKey={env.clerkPublishableKey} afterSignOutUrl="/">
        <AuthGate />
      </ClerkProvider>
    </WebEnvContext>
  );
}
