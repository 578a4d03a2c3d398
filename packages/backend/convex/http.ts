import { WEBHOOK_PATH } from "@repo/shared/config";
import { httpRouter } from "convex/server";
import { clerkWebhook } from "./clerk/webhook";

const http = httpRouter();

// Clerk's webhook (convex/clerk/webhook.ts) keeps users, organizations and memberships in step with Clerk.
// The path is shared with the web app's setup guide and the tools; Clerk's endpoint must point at it.
http.route({ path: WEBHOOK_PATH, method: "POST", handler: clerkWebhook });

// Your own HTTP routes go here.

export default http;
