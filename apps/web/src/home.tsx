import { api } from "@repo/backend/api";
import { useQuery } from "convex/react";
import { WebhookNote } from "./diagnostics/webhook-note.tsx";
import { UserCard } from "./user-card.tsx";

/** The home page: the user as Convex stores them. */
export function Home() {
  // Already loaded: ProfileGate shows the pages only once the row exists, and Convex shares the subscription.
  const user = useQuery(api.users.current);
  if (user == null) return null;
  return (
    <>
      <UserCard user={user} />
      {/* A row only the token has written: Clerk's webhook has not confirmed this user yet. */}
      {user.source === "token" ? <WebhookNote /> : null}
    </>
  );
}
