/**
 * How tests render: `renderApp(path)` renders the whole app (AuthGate down) at a URL, with the router
 * signed-in.tsx provides; `renderWithEnv(ui)` one piece of it, inside the configuration and a router, so a
 * component that starts using a link or a route keeps its tests green. @clerk/react and convex/react are the
 * fakes beside this file: each test file mocks them (see auth-gate.test.tsx).
 */
import { act, render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import { AuthGate } from "../auth-gate.tsx";
import { type WebEnv, WebEnvContext } from "../env.ts";
import { sampleEnv } from "./sample-data.ts";

type Options = { env?: WebEnv; path?: string };

/** Renders `ui` as app.tsx would, at `path` ("/" unless given). */
export function renderWithEnv(ui: ReactNode, { env = sampleEnv, path = "/" }: Options = {}) {
  const wrap = (node: ReactNode) => (
    <WebEnvContext value={env}>
      <MemoryRouter initialEntries={[path]}>{node}</MemoryRouter>
    </WebEnvContext>
  );
  const result = render(wrap(ui));
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) };
}

/** The app at `path`, in whatever state the fakes are set to; `rerender()` after changing them. */
export function renderApp(path = "/", env: WebEnv = sampleEnv) {
  // The app's own router (signed-in.tsx) reads the browser's URL.
  window.history.replaceState(null, "", path);
  // A new element each time, so that React renders again with the fakes as they are now.
  const app = () => (
    <WebEnvContext value={env}>
      <AuthGate />
    </WebEnvContext>
  );
  const result = render(app());
  return { ...result, rerender: () => result.rerender(app()) };
}

/** Lets the lazy signed-in chunk (and any other dynamic import) load, then flushes React. */
export async function settle() {
  await act(() => vi.dynamicImportSettled());
  await act(async () => {});
}
