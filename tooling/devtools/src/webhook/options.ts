/** Command-line options of `pnpm webhook:send`, parsed with node:util's parseArgs. */
import { parseArgs } from "node:util";
import { type ClerkEventType, handledEventTypes, isHandledEventType } from "@repo/shared/config";

export type SendOptions = {
  /** undefined only with --replay, which resends the remembered message whatever its type. */
  type: ClerkEventType | undefined;
  url?: string;
  secret?: string;
  userId?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  orgId?: string;
  role?: string;
  replay: boolean;
  svixId?: string;
  stale: boolean;
  help: boolean;
};

export const usage = `Usage: pnpm webhook:send <${handledEventTypes.join("|")}> [options]

Sends a Clerk-shaped event, signed the way Svix signs it, to the deployment's /clerk-users-webhook.

  --url <url>           where to POST (default: derived from VITE_CONVEX_URL in apps/web/.env.local)
  --secret <whsec_…>    signing secret (default: $CLERK_WEBHOOK_SECRET)
  --user-id <user_…>    the Clerk user id (default: the same test user every time)
  --email <address>     the user's primary email address
  --first-name <name>   first name (user.created / user.updated)
  --last-name <name>    last name (user.created / user.updated)
  --org-id <org_…>      the Clerk organization id (organization and organizationMembership events)
  --role <key>          the user's role in it (default: org:member)
  --stale               send an updated_at one hour older than the last one sent for this user
  --replay              resend the last message: same svix-id and body, fresh timestamp and signature
  --svix-id <msg_…>     use this message id instead of a new one
  -h, --help            show this help`;

/** Throws an Error whose message is meant for the terminal, next to the usage text. */
export function parseSendOptions(argv: string[]): SendOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: "string" },
      secret: { type: "string" },
      "user-id": { type: "string" },
      email: { type: "string" },
      "first-name": { type: "string" },
      "last-name": { type: "string" },
      "org-id": { type: "string" },
      role: { type: "string" },
      stale: { type: "boolean", default: false },
      replay: { type: "boolean", default: false },
      "svix-id": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  // `pnpm webhook:send -- user.created` passes the `--` through on some pnpm versions.
  const [rawType, ...extra] = positionals.filter((arg) => arg !== "--");
  const options: SendOptions = {
    type: undefined,
    url: values.url,
    secret: values.secret,
    userId: values["user-id"],
    email: values.email,
    firstName: values["first-name"],
    lastName: values["last-name"],
    orgId: values["org-id"],
    role: values.role,
    replay: values.replay,
    svixId: values["svix-id"],
    stale: values.stale,
    help: values.help,
  };
  if (options.help) return options;
  if (extra.length > 0) throw new Error(`unexpected argument: ${extra.join(" ")}`);
  if (rawType !== undefined && !isHandledEventType(rawType)) {
    throw new Error(
      `unknown event type ${JSON.stringify(rawType)}: use one of ${handledEventTypes.join(", ")}`,
    );
  }
  options.type = rawType;
  // The shape of Clerk's ids, which --replay also checks the saved message against.
  if (options.userId !== undefined && !/^user_[A-Za-z0-9]{1,64}$/.test(options.userId)) {
    throw new Error(`--user-id takes a Clerk user id: user_ followed by letters and digits, e.g. user_ada2`);
  }
  if (options.replay) {
    if (options.stale || options.svixId !== undefined) {
      throw new Error(
        "--replay resends the last message as it was; it cannot be combined with --stale or --svix-id",
      );
    }
    return options;
  }
  if (rawType === undefined) throw new Error(`which event? Give one of ${handledEventTypes.join(", ")}`);
  if (options.stale && rawType.endsWith(".deleted")) {
    throw new Error("--stale applies to created and updated events (a deletion skips the version check)");
  }
  return options;
}
