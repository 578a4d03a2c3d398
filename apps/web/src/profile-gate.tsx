import { api } from "@repo/backend/api";
import { useMutation, useQuery } from "convex/react";
import { type ReactNode, useEffect, useState } from "react";
import { SignOut } from "./sign-out.tsx";
import { Status } from "./status.tsx";

type Account = "creating" | "deleted" | "failed";

/** Signed in and accepted by Convex: the user's row (made from the token at once if missing), then the pages. */
export function ProfileGate({ children }: { children: ReactNode }) {
  const user = useQuery(api.users.current);
  const account = useEnsureUser(user === null);

  if (user === null && account !== "creating") {
    return (
      <article className="card" role="alert">
        <p>
          {account === "deleted"
            ? "This account was deleted in Clerk. Sign out, then sign up again."
            : "Convex refused to create your profile. Reload the page to try again, or sign out."}
        </p>
        <SignOut />
      </article>
    );
  }
  if (user == null) {
    return (
      <Status label={user === undefined ? "Loading your profile…" : "Creating your profile…"} slow="convex" />
    );
  }
  return children;
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
