/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as clerk_batches from "../clerk/batches.js";
import type * as clerk_clerkApi from "../clerk/clerkApi.js";
import type * as clerk_fields from "../clerk/fields.js";
import type * as clerk_health from "../clerk/health.js";
import type * as clerk_identity from "../clerk/identity.js";
import type * as clerk_lists from "../clerk/lists.js";
import type * as clerk_orgs from "../clerk/orgs.js";
import type * as clerk_parse from "../clerk/parse.js";
import type * as clerk_prune from "../clerk/prune.js";
import type * as clerk_sync from "../clerk/sync.js";
import type * as clerk_tables from "../clerk/tables.js";
import type * as clerk_users from "../clerk/users.js";
import type * as clerk_webhook from "../clerk/webhook.js";
import type * as components_ from "../components.js";
import type * as crons from "../crons.js";
import type * as functions from "../functions.js";
import type * as http from "../http.js";
import type * as messages from "../messages.js";
import type * as orgs from "../orgs.js";
import type * as setup from "../setup.js";
import type * as users from "../users.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "clerk/batches": typeof clerk_batches;
  "clerk/clerkApi": typeof clerk_clerkApi;
  "clerk/fields": typeof clerk_fields;
  "clerk/health": typeof clerk_health;
  "clerk/identity": typeof clerk_identity;
  "clerk/lists": typeof clerk_lists;
  "clerk/orgs": typeof clerk_orgs;
  "clerk/parse": typeof clerk_parse;
  "clerk/prune": typeof clerk_prune;
  "clerk/sync": typeof clerk_sync;
  "clerk/tables": typeof clerk_tables;
  "clerk/users": typeof clerk_users;
  "clerk/webhook": typeof clerk_webhook;
  components: typeof components_;
  crons: typeof crons;
  functions: typeof functions;
  http: typeof http;
  messages: typeof messages;
  orgs: typeof orgs;
  setup: typeof setup;
  users: typeof users;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
