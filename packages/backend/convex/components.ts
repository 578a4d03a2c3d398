/**
 * The components convex.config.ts installs, for your functions to call: every component reference goes
 * through here. `convex dev` also writes `components` into _generated/api, but offline codegen
 * (`pnpm codegen`, CI) cannot (it needs a deployment), so the reference is made the same way, typed by hand.
 * A new component: `app.use(...)` in convex.config.ts, then one entry here with its ComponentApi type.
 */
import type { ComponentApi as RateLimiterApi } from "@convex-dev/rate-limiter/_generated/component.js";
import { componentsGeneric } from "convex/server";

export const components = componentsGeneric() as unknown as {
  rateLimiter: RateLimiterApi;
};
