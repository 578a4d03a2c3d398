/** One UI state per `?state=`, configured on the test doubles before the real <App> renders. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "../src/app.tsx";
import { PageShell } from "../src/page-shell.tsx";
import { clerk, resetClerk } from "../src/testing/fake-clerk.tsx";
import { convex, resetConvex } from "../src/testing/fake-convex.tsx";
import { sampleEnv, sampleUser } from "../src/testing/sample-data.ts";
import "../src/styles.css";

const galleryStates = ["signed-out", "auth-problem", "signed-in", "webhook-note"] as const;
type GalleryState = (typeof galleryStates)[number];

// An inline picture: the browser tests block every request that leaves the machine.
const avatar = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#6d5dfc"/><text x="32" y="42" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">AL</text></svg>',
)}`;
const ada = { name: "Ada Lovelace", imageUrl: avatar };
const grace = { name: "Grace Hopper" };

/**
 * The row ensureFromToken makes from the token of Clerk's Convex integration without custom claims: no name,
 * email or picture (README → One-time setup, step 1, adds them).
 */
function bareTokenUser() {
  const {
    email: _email,
    imageUrl: _imageUrl,
    ...row
  } = sampleUser({ fromToken: true, name: "Unnamed user" });
  return row;
}

function configure(state: GalleryState) {
  resetClerk();
  resetConvex();
  clerk.status = "ready";
  clerk.signedIn = state !== "signed-out";
  convex.results.set("setup:status", {
    webhookSecretConfigured: state !== "webhook-note",
    issuerDomainConfigured: true,
    webhookApplied: state === "signed-in",
  });
  if (state === "auth-problem") convex.auth = { isLoading: false, isAuthenticated: false };
  convex.results.set(
    "users:current",
    state === "webhook-note" ? bareTokenUser() : sampleUser({ imageUrl: avatar }),
  );
  // No active organization: the shared room, whose list api.messages.list pages (harmless once the example
  // is removed; it shows at /messages).
  convex.results.set("orgs:current", null);
  const message = (n: number, author: typeof ada | typeof grace, body: string) => ({
    _id: `m${n}`,
    _creationTime: 1_764_000_000_000 + n * 60_000,
    body,
    author,
  });
  convex.pages.set("messages:list", {
    results: [
      message(3, grace, "Renamed myself in Clerk: the old messages show the new name too."),
      message(2, ada, "Every message reads its author at query time."),
      message(1, ada, "Hello from the example feature!"),
    ],
    status: "CanLoadMore",
  });
}

const requested = new URLSearchParams(window.location.search).get("state");
const state = galleryStates.find((candidate) => candidate === requested) ?? "signed-in";
configure(state);

const root = document.getElementById("root");
if (root === null) throw new Error("gallery/index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <p className="sample-banner">
      Sample data: the app's real components, with Clerk and Convex replaced by the test doubles in
      src/testing.
    </p>
    <PageShell>
      <App env={sampleEnv} />
    </PageShell>
  </StrictMode>,
);
