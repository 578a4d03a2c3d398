import { ClerkProvider } from "@clerk/react";
import { AuthGate } from "./auth-gate.tsx";
import { type WebEnv, WebEnvContext } from "./env.ts";

/** The configured app: Clerk around everything; Convex joins once someone is signed in (signed-in.tsx). */
export function App({ env }: { env: WebEnv }) {
  return (
    <WebEnvContext value={env}>
      <ClerkProvider publishableKey={env.clerkPublishableKey} afterSignOutUrl="/">
        <AuthGate />
      </ClerkProvider>
    </WebEnvContext>
  );
}
