import { lazy, Suspense } from "react";
import { useDelayPassed } from "./use-delay-passed.ts";

// Most sign-ups never need it, so it (and the event list it imports) stays out of the first download.
const TroubleshootingPanel = lazy(() =>
  import("./troubleshooting-panel.tsx").then((module) => ({ default: module.TroubleshootingPanel })),
);

/** A webhook normally lands within a few seconds; this long without one means something is misconfigured. */
export const TROUBLESHOOT_AFTER_MS = 15_000;

type Props = {
  /** "convex" while users.current has not answered, "webhook" once it answered that there is no user. */
  waitingFor: "convex" | "webhook";
  convexUrl: string;
  frontendApiHost: string;
};

/** State 4: signed in to Clerk, but the webhook has not created the Convex user yet. */
export function FinishingSignUp({ waitingFor, convexUrl, frontendApiHost }: Props) {
  const slow = useDelayPassed(TROUBLESHOOT_AFTER_MS);
  return (
    <article className="card" aria-labelledby="sync-title">
      <h1 id="sync-title">{waitingFor === "webhook" ? "Finishing sign-up…" : "Loading your profile…"}</h1>
      <p className="status" role="status">
        <span className="spinner" aria-hidden="true" />
        {waitingFor === "webhook"
          ? "Waiting for Clerk's webhook to reach Convex. This page updates by itself."
          : "Waiting for Convex to answer."}
      </p>
      {slow ? (
        <Suspense fallback={<p>Loading troubleshooting steps…</p>}>
          <TroubleshootingPanel
            convexUrl={convexUrl}
            frontendApiHost={frontendApiHost}
            convexAnswered={waitingFor === "webhook"}
          />
        </Suspense>
      ) : null}
    </article>
  );
}
