/**
 * The example feature: signed-in users post short messages that everyone signed in sees live. It shows a
 * table that refers to `users`, auth in app functions (`userQuery` / `userMutation`), authors read at query
 * time, and clean-up when Clerk deletes a user. README → "Remove the example" says how to take it out.
 */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalMutation, type MutationCtx } from "./_generated/server";
import { userMutation, userQuery } from "./functions";

export const MAX_MESSAGE_LENGTH = 1000;

const messageView = v.object({
  _id: v.id("messages"),
  _creationTime: v.number(),
  body: v.string(),
  author: v.object({ name: v.string(), imageUrl: v.optional(v.string()) }),
});

/** Newest first. Each author is read now, not copied at posting time, so a rename in Clerk shows everywhere. */
export const list = userQuery({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(messageView),
  handler: async (ctx, { paginationOpts }) => {
    if (ctx.user === null) return { page: [], isDone: true, continueCursor: "" };
    const result = await ctx.db.query("messages").order("desc").paginate(paginationOpts);
    const page = [];
    for (const message of result.page) {
      const author = await ctx.db.get("users", message.authorId);
      // A deleted author's messages are on their way out (see deleteMessagesOf).
      if (author === null) continue;
      page.push({
        _id: message._id,
        _creationTime: message._creationTime,
        body: message.body,
        author: {
          name: author.name,
          ...(author.imageUrl === undefined ? {} : { imageUrl: author.imageUrl }),
        },
      });
    }
    return { ...result, page };
  },
});

export const send = userMutation({
  args: { body: v.string() },
  returns: v.id("messages"),
  handler: async (ctx, args) => {
    const body = args.body.trim();
    const length = [...body].length;
    if (length === 0 || length > MAX_MESSAGE_LENGTH) {
      throw new ConvexError({
        code: "INVALID_MESSAGE",
        message: `A message has 1 to ${MAX_MESSAGE_LENGTH} characters; this one has ${length}.`,
      });
    }
    return await ctx.db.insert("messages", { authorId: ctx.user._id, body });
  },
});

/** Per transaction: far below Convex's per-mutation limits, however much a user posted. */
export const DELETE_BATCH = 256;

/** Deletes a batch of the user's messages and schedules the next until none are left. */
export async function deleteMessagesOf(ctx: MutationCtx, authorId: Id<"users">): Promise<void> {
  const batch = await ctx.db
    .query("messages")
    .withIndex("by_author", (q) => q.eq("authorId", authorId))
    .take(DELETE_BATCH);
  for (const message of batch) await ctx.db.delete("messages", message._id);
  if (batch.length === DELETE_BATCH) {
    await ctx.scheduler.runAfter(0, internal.messages.deleteAllOf, { authorId });
  }
}

export const deleteAllOf = internalMutation({
  args: { authorId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, { authorId }) => {
    await deleteMessagesOf(ctx, authorId);
    return null;
  },
});
