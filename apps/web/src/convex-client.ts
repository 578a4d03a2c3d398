import { ConvexReactClient } from "convex/react";

let client: ConvexReactClient | undefined;

/**
 * One client per page: it owns the WebSocket and the query cache, so it must outlive sign-out and sign-in
 * and React's StrictMode double renders.
 */
export function convexClientFor(url: string): ConvexReactClient {
  client ??= new ConvexReactClient(url);
  return client;
}
