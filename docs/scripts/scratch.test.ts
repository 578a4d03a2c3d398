import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatProblem, scratchFiles } from "./check.ts";
import { repoToolchain, typecheckScratch } from "./scratch.ts";

const tools = repoToolchain(fileURLToPath(new URL("../..", import.meta.url)));
const page = (blocks: Record<string, string>) =>
  Object.entries(blocks)
    .map(([path, code]) => `Some prose.\n\n<!-- scratch: ${path} -->\n\`\`\`ts\n${code}\n\`\`\`\n`)
    .join("\n");

const schema = `import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({ clerkId: v.string() }).index("by_clerk_id", ["clerkId"]),
});`;
// Uses the generated API, the schema's types and svix, as the tutorial's minimal version does.
const users = `import { v } from "convex/values";
import { Webhook } from "svix";
import { internal } from "./_generated/api";
import { httpAction, internalMutation } from "./_generated/server";

export const add = internalMutation({
  args: { clerkId: v.string() },
  handler: async (ctx, { clerkId }) => {
    await ctx.db.insert("users", { clerkId });
  },
});

export const hook = httpAction(async (ctx, request) => {
  new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? "").verify(await request.text(), {});
  await ctx.runMutation(internal.users.add, { clerkId: "user_1" });
  return new Response(null);
});`;

const check = (markdown: string) =>
  typecheckScratch("docs/tutorial.md", scratchFiles("docs/tutorial.md", markdown).files, tools).map(
    formatProblem,
  );

// Each case writes a project, runs `convex codegen` and tsc: about a second on a busy two-core machine.
describe("typecheckScratch", { timeout: 30_000 }, () => {
  it("passes blocks that type-check together as a Convex project, with codegen's _generated", () => {
    expect(check(page({ "convex/schema.ts": schema, "convex/users.ts": users }))).toEqual([]);
  });

  it("fails on the tutorial's line when a block does not type-check against the others", () => {
    const markdown = page({
      "convex/schema.ts": schema,
      "convex/users.ts": users.replace('insert("users", { clerkId })', 'insert("users", { clerkId: 1 })'),
    });
    const wrong = (text: string) => text.includes("{ clerkId: 1 }");
    const line = markdown.split("\n").findIndex(wrong) + 1;
    const inBlock = users.split("\n").findIndex((text) => text.includes('insert("users"')) + 1;
    expect(check(markdown)).toEqual([
      expect.stringMatching(
        new RegExp(`^docs/tutorial.md:${line}: scratch convex/users.ts:${inBlock}:\\d+: error TS2322: `),
      ),
    ]);
  });

  it("fails when a block imports a module the project does not have", () => {
    const markdown = page({ "convex/schema.ts": schema, "convex/users.ts": `import "./missing";\n${users}` });
    expect(check(markdown)).toEqual([
      expect.stringMatching(/^docs\/tutorial.md:\d+: scratch convex\/users.ts:1:/),
    ]);
  });
});
