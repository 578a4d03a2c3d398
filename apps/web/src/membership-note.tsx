import { useAuth } from "@clerk/react";
import { api } from "@repo/backend/api";
import { useConvexAuth, useQuery } from "convex/react";
import { NOT_A_MEMBER, useOrgQuery } from "./use-org-query.ts";

/**
 * Clerk says an organization is active; Convex counts it only with a synced membership, and until then every
 * orgQuery answers NOT_A_MEMBER (an older backend: orgs.current is null). Says so under the header, and goes
 * by itself when the membership lands.
 */
export function MembershipNote() {
  const { orgId } = useAuth();
  const { isAuthenticated } = useConvexAuth();
  const user = useQuery(api.users.current, isAuthenticated && orgId ? {} : "skip");
  // Not before the user's row exists: no membership can count before it.
  const org = useOrgQuery(api.orgs.current, user ? {} : "skip");
  if (!orgId || (org !== null && org !== NOT_A_MEMBER)) return null;
  return (
    <p className="note" role="note">
      Convex does not count you as a member of this organization: Clerk's <code>organizationMembership</code>{" "}
      webhook has not arrived, or you were removed. Nothing in it is shown or saved until it does. Switch to
      an organization you belong to, or check that the webhook subscribes to the organization events.
    </p>
  );
}
