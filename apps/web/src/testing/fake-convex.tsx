/**
 * Test double for convex/react and convex/react-clerk, driven by `convex` below. Queries answer from
 * `convex.results`, keyed by function name ("users:current"); a missing key means "not answered yet"
 * (undefined), as in the real hook, and an Error (a `ConvexError` the server threw) is thrown by `useQuery`
 * during render and handed back by `useQueries`, as the real hooks do. `push` plays the server pushing a change: subscribed components
 * re-render, as they do over Convex's WebSocket. Mutations run `convex.mutations` handlers and are recorded.
 */
import { type FunctionReference, getFunctionName } from "convex/server";
import { type ReactNode, useSyncExternalStore } from "react";

type Paginated = {
  results: unknown[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
};

export const convex = {
  results: new Map<string, unknown>(),
  pages: new Map<string, Paginated | Error>(),
  auth: { isLoading: false, isAuthenticated: true },
  mutations: new Map<string, (args: unknown) => unknown>(),
  calls: [] as { name: string; args: unknown }[],
  loadMore: [] as number[],
};

const listeners = new Set<() => void>();
let version = 0;

export function resetConvex(): void {
  convex.results.clear();
  convex.pages.clear();
  convex.mutations.clear();
  convex.calls.length = 0;
  convex.loadMore.length = 0;
  convex.auth = { isLoading: false, isAuthenticated: true };
}

/** Applies a change as the server would push it, and re-renders every subscriber. */
export function push(change: () => void): void {
  change();
  version += 1;
  for (const listener of listeners) listener();
}

function useServerState<T>(read: () => T): T {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => version,
  );
  return read();
}

export function useQueries(
  queries: Record<string, { query: FunctionReference<"query">; args: unknown }>,
): Record<string, unknown> {
  return useServerState(() =>
    Object.fromEntries(
      Object.entries(queries).map(([key, { query }]) => [key, convex.results.get(getFunctionName(query))]),
    ),
  );
}

export function useQuery(query: FunctionReference<"query">, args?: unknown): unknown {
  const name = getFunctionName(query);
  const result = useServerState(() => (args === "skip" ? undefined : convex.results.get(name)));
  if (result instanceof Error) throw result;
  return result;
}

export function usePaginatedQuery(query: FunctionReference<"query">, args?: unknown) {
  const name = getFunctionName(query);
  const page = useServerState(
    () =>
      (args === "skip" ? undefined : convex.pages.get(name)) ?? {
        results: [],
        status: "LoadingFirstPage" as const,
      },
  );
  if (page instanceof Error) throw page;
  return {
    ...page,
    isLoading: page.status.startsWith("Loading"),
    loadMore: (n: number) => convex.loadMore.push(n),
  };
}

const mutationFunctions = new Map<string, (args?: unknown) => Promise<unknown>>();

export function useMutation(mutation: FunctionReference<"mutation">) {
  const name = getFunctionName(mutation);
  let run = mutationFunctions.get(name);
  if (run === undefined) {
    // One function per mutation, like the real hook's stable reference.
    run = async (args: unknown = {}) => {
      convex.calls.push({ name, args });
      const handler = convex.mutations.get(name);
      if (handler === undefined) throw new Error(`fake-convex: no handler for mutation ${name}`);
      return handler(args);
    };
    mutationFunctions.set(name, run);
  }
  return run;
}

export function useConvexAuth() {
  return useServerState(() => convex.auth);
}

export class ConvexReactClient {
  constructor(readonly address: string) {}
}

export function ConvexProviderWithClerk({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
