import { ClerkProvider } from "@clerk/react";
import { AuthGate } from "./auth-gate.tsx";
import type { WebEnv } from "./env.ts";

/** The configured app: Clerk around everything; Convex joins once someone is signed in (signed-in-app.tsx). */
export function App({ env }: { env: WebEnv }) {
  return (
    <ClerkProvider publishableKey={env.clerkPublishableKey} afterSignOutUrl="/">
      <AuthGate convexUrl={env.convexUrl} frontendApiHost={env.clerkFrontendApiHost} />
    </ClerkProvider>
  );
}
