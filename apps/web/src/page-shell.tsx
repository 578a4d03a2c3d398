import type { ReactNode } from "react";
import { ErrorBoundary } from "./error-boundary.tsx";

/** The frame every state renders in, so the title stays put while the content below changes. */
export function PageShell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <header className="shell-header">
        <p className="shell-title">Clerk + Convex starter</p>
      </header>
      <main className="shell-main">
        <ErrorBoundary>{children}</ErrorBoundary>
      </main>
    </div>
  );
}
