import { api } from "@repo/backend/api";
import { TOKEN_VERSION } from "@repo/shared/config";
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { WebhookNote } from "./diagnostics/webhook-note.tsx";
import { Messages } from "./messages/messages.tsx";
import { Status } from "./status.tsx";
import { UserCard } from "./user-card.tsx";

type Account = "creating" | "deleted" | "failed";

// #region home
/** Signed in and accepted by Convex: the user's row (made from the token at once if missing), then the app. */
export function Home() {
  const user = useQuery(api.users.current);
  const account = useEnsureUser(user === null);

  if (user === undefined) return <Status label="Loading your profile…" />;
  if (user === null) {
    if (account === "deleted") {
      return <p role="alert">This account was deleted in Clerk. Sign out, then sign up again.</p>;
    }
    if (account === "failed") {
      return <p role="alert">Could not create your profile: Convex refused. Reload the page to try again.</p>;
    }
    return <Status label="Creating your profile…" />;
  }
  return (
    <>
      <UserCard user={user} />
      {/* A row only the token has written: Clerk's webhook has not confirmed this user yet. */}
      {user.clerkUpdatedAt === TOKEN_VERSION ? <WebhookNote /> : null}
      <Messages />
    </>
  );
}

/** Creates the caller's row from their verified token when it is missing; Clerk's webhook replaces it. */
function useEnsureUser(missing: boolean): Account {
  const ensureFromToken = useMutation(api.users.ensureFromToken);
  const [account, setAccount] = useState<Account>("creating");
  useEffect(() => {
    if (!missing) return;
    let current = true;
    ensureFromToken().then(
      (id) => current && id === null && setAccount("deleted"),
      () => current && setAccount("failed"),
    );
    return () => {
      current = false;
    };
  }, [missing, ensureFromToken]);
  return account;
}
// #endregion home
