import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// Repairs whatever the webhook missed in the last day, and logs an error when it had to (clerk/health.ts).
// Without CLERK_SECRET_KEY it logs one line and stops.
crons.daily("sync users with Clerk", { hourUTC: 4, minuteUTC: 17 }, internal.clerk.sync.run, { daily: true });

export default crons;
