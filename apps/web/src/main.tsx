import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { parseEnv, readRawEnv } from "./env.ts";
import { PageShell } from "./page-shell.tsx";
import "./styles.css";

// Only a misconfigured checkout needs the guide, so it is fetched on demand.
const SetupGuide = lazy(() =>
  import("./diagnostics/setup-guide.tsx").then((module) => ({ default: module.SetupGuide })),
);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");

const raw = readRawEnv();
const env = parseEnv(raw);

createRoot(root).render(
  <StrictMode>
    <PageShell>
      {env !== undefined ? (
        <App env={env} />
      ) : (
        <Suspense fallback={<p role="status">Loading the setup guide…</p>}>
          <SetupGuide raw={raw} />
        </Suspense>
      )}
    </PageShell>
  </StrictMode>,
);
