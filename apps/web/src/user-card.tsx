import { SignOutButton, UserButton } from "@clerk/react";
import type { api } from "@repo/backend/api";
import type { FunctionReturnType } from "convex/server";

export type SyncedUser = NonNullable<FunctionReturnType<typeof api.users.current>>;

/** State 5: the user as Convex stores it (not as Clerk's session has it), which proves the sync worked. */
export function UserCard({ user }: { user: SyncedUser }) {
  return (
    <article className="card" aria-labelledby="user-title">
      <div className="user-head">
        {user.imageUrl === undefined ? null : <img className="avatar" src={user.imageUrl} alt="" />}
        <div>
          <h1 id="user-title">{user.name}</h1>
          <p className="muted">{user.email ?? "No email address"}</p>
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
        <dt>Last change from Clerk</dt>
        <dd>{new Date(user.clerkUpdatedAt).toLocaleString()}</dd>
      </dl>
      <p className="muted">This card is read live from the Convex users table.</p>
      <SignOutButton>
        <button type="button" className="button button-secondary">
          Sign out
        </button>
      </SignOutButton>
    </article>
  );
}
