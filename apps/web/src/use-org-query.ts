import { useQueries } from "convex/react";
import {
  type FunctionArgs,
  type FunctionReference,
  type FunctionReturnType,
  getFunctionName,
} from "convex/server";
import { ConvexError } from "convex/values";
import { useMemo } from "react";

/** What a function built with orgQuery answers when the token names an organization Convex has no membership for. */
export const NOT_A_MEMBER = "NOT_A_MEMBER";

/**
 * convex/react's `useQuery` for an orgQuery. That hook throws a query's error during render, so NOT_A_MEMBER
 * (a membership that has not synced yet, or was removed) would reach the error boundary; here it is a value.
 * The subscription stays open while it errs, so a membership that lands seconds later re-runs the query and
 * its result replaces NOT_A_MEMBER live. Any other error still throws.
 */
export function useOrgQuery<Query extends FunctionReference<"query">>(
  query: Query,
  args: FunctionArgs<Query> | "skip",
): FunctionReturnType<Query> | typeof NOT_A_MEMBER | undefined {
  const key = `${getFunctionName(query)}:${JSON.stringify(args)}`;
  // Keyed by name and arguments, as convex/react does, so a new args object each render is the same query.
  const queries = useMemo(
    (): Parameters<typeof useQueries>[0] => (args === "skip" ? {} : { result: { query, args } }),
    [key],
  );
  const { result } = useQueries(queries);
  if (result instanceof ConvexError && result.data?.code === NOT_A_MEMBER) return NOT_A_MEMBER;
  if (result instanceof Error) throw result;
  return result;
}
