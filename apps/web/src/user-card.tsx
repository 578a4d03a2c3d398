import type { api } from "@repo/backend/api";
import { UNNAMED_USER } from "@repo/shared/config";
import type { FunctionReturnType } from "convex/server";
import { SignOut } from "./sign-out.tsx";

export type CurrentUser = NonNullable<FunctionReturnType<typeof api.users.current>>;
/** What the card shows: Clerk's fields, so a field your app adds to `users` changes nothing here. */
type CardUser = Pick<CurrentUser, "clerkId" | "name" | "email" | "imageUrl" | "clerkUpdatedAt" | "source">;

/** The user as Convex stores it (not as Clerk's session has it), which proves the sync worked. */
export function UserCard({ user }: { user: CardUser }) {
  return (
    <article className="card" aria-labelledby="user-title">
      <div className="user-head">
        {user.imageUrl === undefined ? null : <img className="avatar" src={user.imageUrl} alt="" />}
        <div>
          <h1 id="user-title">{user.name}</h1>
          <p className="muted">{user.email ?? "No verified email address"}</p>
        </div>
      </div>
      <dl className="facts">
        <dt>Clerk id</dt>
        <dd>
          <code>{user.clerkId}</code>
        </dd>
        <dt>Source</dt>
        <dd>
          {user.source === "token"
            ? "Your sign-in token, until Clerk's webhook confirms it"
            : `Clerk, last changed ${new Date(user.clerkUpdatedAt).toLocaleString()}`}
        </dd>
      </dl>
      {user.source === "token" && user.name === UNNAMED_USER ? <NameHint /> : null}
      <SignOut />
    </article>
  );
}

/** The claims that name a new user from the first sign-in, as Clerk's session token editor takes them. */
const NAME_CLAIMS = `{
  "aud": "convex",
  "name": "{{user.full_name}}",
  "email": "{{user.primary_email_address}}",
  "email_verified": "{{user.email_verified}}",
  "picture": "{{user.image_url}}"
}`;

/**
 * Clerk's default session token carries no name; claims added to it name a new user from the first sign-in.
 * The README is named rather than linked: a copy of the kit lives at an address this app cannot know.
 */
function NameHint() {
  return (
    <div className="muted" data-testid="name-hint">
      <p>
        Your name appears here once Clerk's webhook arrives. To show it from the first sign-in, set the
        session token in Clerk → Sessions → Customize session token to these claims (keep{" "}
        <code>"aud": "convex"</code>: Convex checks it; the kit's <code>README.md#one-time-setup</code>{" "}
        explains):
      </p>
      <pre>{NAME_CLAIMS}</pre>
    </div>
  );
}
