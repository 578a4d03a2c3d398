import { UserButton } from "@clerk/react";
import type { api } from "@repo/backend/api";
import { TOKEN_VERSION } from "@repo/shared/config";
import type { FunctionReturnType } from "convex/server";
import { SignOut } from "./sign-out.tsx";

export type CurrentUser = NonNullable<FunctionReturnType<typeof api.users.current>>;

/** The user as Convex stores it (not as Clerk's session has it), which proves the sync worked. */
export function UserCard({ user }: { user: CurrentUser }) {
  return (
    <article className="card" aria-labelledby="user-title">
      <div className="user-head">
        {user.imageUrl === undefined ? null : <img className="avatar" src={user.imageUrl} alt="" />}
        <div>
          <h1 id="user-title">{user.name}</h1>
          <p className="muted">{user.email ?? "No verified email address"}</p>
        </div>
        <div className="user-menu">
          <UserButton />
        </div>
      </div>
      <dl className="facts">
        <dt>Clerk id</dt>
        <dd>
          <code>{user.clerkId}</code>
        </dd>
        <dt>Source</dt>
        <dd>
          {user.clerkUpdatedAt === TOKEN_VERSION
            ? "Your sign-in token, until Clerk's webhook confirms it"
            : `Clerk, last changed ${new Date(user.clerkUpdatedAt).toLocaleString()}`}
        </dd>
      </dl>
      <SignOut />
    </article>
  );
}
