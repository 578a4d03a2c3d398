import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { type WebEnv, WebEnvContext } from "../env.ts";
import { sampleEnv } from "./sample-data.ts";

/** Renders `ui` with the configuration app.tsx would provide. */
export function renderWithEnv(ui: ReactNode, env: WebEnv = sampleEnv) {
  const wrap = (node: ReactNode) => <WebEnvContext value={env}>{node}</WebEnvContext>;
  const result = render(wrap(ui));
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) };
}
