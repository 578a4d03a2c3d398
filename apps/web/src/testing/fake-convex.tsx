/**
 * Test double for convex/react and convex/react-clerk. `useQuery` answers from `convex.results`, keyed by
 * function name ("users:current"); a missing key means the query has not answered yet (undefined), as in
 * the real hook. `pushQueryResult` plays the server pushing a new result: subscribed components re-render,
 * as they do over Convex's WebSocket.
 */
import { type FunctionReference, getFunctionName } from "convex/server";
import { type ReactNode, useSyncExternalStore } from "react";

export const convex = {
  results: new Map<string, unknown>(),
  auth: { isLoading: false, isAuthenticated: true },
};

const listeners = new Set<() => void>();

export function resetConvex(): void {
  convex.results.clear();
  convex.auth = { isLoading: false, isAuthenticated: true };
}

export function pushQueryResult(name: string, value: unknown): void {
  convex.results.set(name, value);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useQuery(query: FunctionReference<"query">): unknown {
  const name = getFunctionName(query);
  return useSyncExternalStore(subscribe, () => convex.results.get(name));
}

export function useConvexAuth() {
  return convex.auth;
}

export class ConvexReactClient {
  constructor(readonly address: string) {}
}

export function ConvexProviderWithClerk({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
