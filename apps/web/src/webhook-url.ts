/**
 * Where Clerk must send webhooks: HTTP actions live on a sibling host of the client URL. A cloud deployment
 * serves them on `.convex.site`; a local backend serves them on the port after the client port.
 */
export const WEBHOOK_PATH = "/clerk-users-webhook";

export function webhookUrlFor(convexUrl: string): string {
  const url = new URL(convexUrl);
  if (url.hostname.endsWith(".convex.cloud")) {
    url.hostname = `${url.hostname.slice(0, -".convex.cloud".length)}.convex.site`;
  } else if (url.port !== "") {
    url.port = String(Number(url.port) + 1);
  }
  return `${url.origin}${WEBHOOK_PATH}`;
}
