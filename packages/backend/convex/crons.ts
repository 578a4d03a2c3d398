import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// The log only has to outlive Svix's retries; pruning keeps the dedupe index small.
crons.daily("prune webhook event log", { hourUTC: 4, minuteUTC: 17 }, internal.webhookEvents.prune, {});

export default crons;
