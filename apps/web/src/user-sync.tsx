import { api } from "@repo/backend/api";
import { useQuery } from "convex/react";
import { FinishingSignUp } from "./finishing-sign-up.tsx";
import { UserCard } from "./user-card.tsx";

type Props = { convexUrl: string; frontendApiHost: string };

// #region live
/** Signed in to Clerk: show the Convex user once it exists. The query is live, so no reload is needed. */
export function UserSync({ convexUrl, frontendApiHost }: Props) {
  const user = useQuery(api.users.current);
  if (user) return <UserCard user={user} />;
  return (
    <FinishingSignUp
      waitingFor={user === undefined ? "convex" : "webhook"}
      convexUrl={convexUrl}
      frontendApiHost={frontendApiHost}
    />
  );
}
// #endregion live
