import { ClerkProvider } from "@clerk/react";
import { BrowserRouter } from "react-router";
import { AuthGate } from "./auth-gate.tsx";
import { type WebEnv, WebEnvContext } from "./env.ts";

/**
 * The configured app: the router and Clerk around everything; Convex joins once someone is signed in
 * (signed-in.tsx), and the pages (routes.tsx) once Convex has their profile.
 */
export function App({ env }: { env: WebEnv }) {
  return (
    <WebEnvContext value={env}>
      <BrowserRouter>
        <ClerkProvider publishableKey={env.clerkPublishableKey} afterSignOutUrl="/">
          <AuthGate />
        </ClerkProvider>
      </BrowserRouter>
    </WebEnvContext>
  );
}
