// Convex components this app uses (call them through components.ts): the rate limiter behind messages.send.
import rateLimiter from "@convex-dev/rate-limiter/convex.config.js";
import { defineApp } from "convex/server";

const app = defineApp();
app.use(rateLimiter);

export default app;
