import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// Repairs whatever the webhook missed in the last day. Without CLERK_SECRET_KEY it logs one line and stops.
crons.daily("sync users with Clerk", { hourUTC: 4, minuteUTC: 17 }, internal.clerk.sync.run, {});

export default crons;
