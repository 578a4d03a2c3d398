/**
 * The example feature: signed-in users post short messages to a room that its members see live: the active
 * organization's room, or the shared room without one. It shows a table that refers to `users`, auth in app
 * functions (`orgQuery` / `orgMutation`), authors read at query time, and clean-up when Clerk deletes a user
 * or an organization. README → "What you can delete" says how to take it out.
 */
import { RateLimiter, SECOND } from "@convex-dev/rate-limiter";
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import { internalMutation } from "./_generated/server";
import { deleteInBatches } from "./clerk/batches";
import { isWellFormed } from "./clerk/parse";
import { components } from "./components";
import { type ActiveOrganization, ADMIN_ROLE, orgMutation, orgQuery } from "./functions";

export const MAX_MESSAGE_LENGTH = 1000;
/** A page larger than this is cut to it: the page size comes from the client. */
export const MAX_PAGE_SIZE = 100;

/** Per user: a burst of 10, then one a second (the bucket refills at that rate). */
export const SEND_BURST = 10;
const rateLimiter = new RateLimiter(components.rateLimiter, {
  sendMessage: { kind: "token bucket", rate: 1, period: SECOND, capacity: SEND_BURST },
});

/**
 * Code points that show nothing by themselves: whitespace and controls, format characters (zero-width space,
 * joiners, bidi marks, soft hyphen, tags), variation selectors, the Hangul fillers, the blank braille pattern,
 * combining marks (they show only on a base character), the null notehead and the object replacement
 * character. A body made only of these has no visible character, and looks empty or broken in every client.
 */
const BLANK_CATEGORIES = /^[\s\p{Cc}\p{Cf}\p{Z}\p{M}\p{Default_Ignorable_Code_Point}]$/u;
const BLANK_RANGES: [number, number][] = [
  [0x034f, 0x034f], // combining grapheme joiner
  [0x115f, 0x1160], // Hangul choseong and jungseong fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors
  [0x2800, 0x2800], // braille pattern blank
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfffc, 0xfffc], // object replacement character
  [0x16fe4, 0x16fe4], // Khitan small script filler
  [0x1d159, 0x1d159], // musical symbol null notehead
  [0xe0100, 0xe01ef], // variation selectors supplement
];

function isBlank(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return BLANK_CATEGORIES.test(character) || BLANK_RANGES.some(([from, to]) => code >= from && code <= to);
}

const messageView = v.object({
  _id: v.id("messages"),
  _creationTime: v.number(),
  body: v.string(),
  author: v.object({ name: v.string(), imageUrl: v.optional(v.string()) }),
  /** Whether the caller may delete it (`messages.remove`), so the UI offers the button only then. */
  canRemove: v.boolean(),
});

/**
 * The room's messages, newest first. Each author is read now, not copied at posting time, so a rename in
 * Clerk shows everywhere. A token naming an organization the caller is not a member of gets NOT_A_MEMBER.
 */
export const list = orgQuery({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(messageView),
  handler: async (ctx, { paginationOpts }) => {
    const { user, org } = ctx;
    if (user === null) return { page: [], isDone: true, continueCursor: "" };
    const numItems = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(paginationOpts.numItems) || 1));
    const result = await ctx.db
      .query("messages")
      .withIndex("by_clerk_org_id", (q) => q.eq("clerkOrgId", org?.clerkOrgId))
      .order("desc")
      .paginate({ ...paginationOpts, numItems });
    // Read in parallel: each author once, whatever number of their messages the page holds.
    const authorIds = [...new Set(result.page.map((message) => message.authorId))];
    const authors = new Map(
      await Promise.all(authorIds.map(async (id) => [id, await ctx.db.get("users", id)] as const)),
    );
    const page = [];
    for (const message of result.page) {
      const author = authors.get(message.authorId);
      // A deleted author's messages are on their way out (see deleteAllOf).
      if (author === undefined || author === null) continue;
      page.push({
        _id: message._id,
        _creationTime: message._creationTime,
        body: message.body,
        author: {
          name: author.name,
          ...(author.imageUrl === undefined ? {} : { imageUrl: author.imageUrl }),
        },
        canRemove: mayRemove(user, org, message),
      });
    }
    return { ...result, page };
  },
});

const invalid = (message: string) => new ConvexError({ code: "INVALID_MESSAGE", message });

/** To the active organization's room (the wrapper refuses a token naming one the caller is not in). */
export const send = orgMutation({
  args: { body: v.string() },
  returns: v.id("messages"),
  handler: async (ctx, args) => {
    const body = args.body.trim();
    // Counted in code points, after a cheap bound in UTF-16 units (never fewer), so a huge body costs nothing.
    const length = body.length > 2 * MAX_MESSAGE_LENGTH ? body.length : [...body].length;
    if (length === 0 || length > MAX_MESSAGE_LENGTH)
      throw invalid(`A message has 1 to ${MAX_MESSAGE_LENGTH} characters; this one has ${length}.`);
    if (!isWellFormed(body)) throw invalid("A message must be valid Unicode text.");
    if ([...body].every(isBlank)) throw invalid("A message needs at least one visible character.");
    const { ok, retryAfter } = await rateLimiter.limit(ctx, "sendMessage", { key: ctx.user._id });
    if (!ok) {
      const retryAfterMs = Math.max(1, Math.ceil(retryAfter));
      throw new ConvexError({
        code: "RATE_LIMITED",
        message: `Too many messages at once: wait ${Math.ceil(retryAfterMs / 1000)} s.`,
        retryAfterMs,
      });
    }
    return await ctx.db.insert("messages", { authorId: ctx.user._id, body, clerkOrgId: ctx.org?.clerkOrgId });
  },
});

/** Who may delete a message: its author, or an admin (token and row agree: functions.ts) of its room's organization. */
function mayRemove(user: Doc<"users">, org: ActiveOrganization | null, message: Doc<"messages">): boolean {
  if (message.authorId === user._id) return true;
  return (
    message.clerkOrgId !== undefined && message.clerkOrgId === org?.clerkOrgId && org.role === ADMIN_ROLE
  );
}

/** Deletes one message; anyone but those `mayRemove` allows gets FORBIDDEN and nothing changes. */
export const remove = orgMutation({
  args: { id: v.id("messages") },
  returns: v.null(),
  handler: async (ctx, { id }) => {
    const message = await ctx.db.get("messages", id);
    // Already gone (a second click, or its author was deleted): nothing to do.
    if (message === null) return null;
    if (!mayRemove(ctx.user, ctx.org, message)) {
      throw new ConvexError({
        code: "FORBIDDEN",
        message: "Only its author or an admin of its organization can delete this message.",
      });
    }
    await ctx.db.delete("messages", id);
    return null;
  },
});

const of = v.union(v.object({ authorId: v.id("users") }), v.object({ clerkOrgId: v.string() }));

/** A deleted user's or organization's messages, a batch per transaction. */
export const deleteAllOf = internalMutation({
  args: { of },
  returns: v.null(),
  handler: async (ctx, { of: owner }) => {
    const messages = ctx.db.query("messages");
    const rows =
      "authorId" in owner
        ? messages.withIndex("by_author_id", (q) => q.eq("authorId", owner.authorId))
        : messages.withIndex("by_clerk_org_id", (q) => q.eq("clerkOrgId", owner.clerkOrgId));
    await deleteInBatches(ctx, "messages", rows, internal.messages.deleteAllOf, { of: owner });
    return null;
  },
});
