import { OrganizationSwitcher, useAuth, useUser } from "@clerk/react";
import { api } from "@repo/backend/api";
import { useConvexAuth, useQuery } from "convex/react";

/**
 * The signed-in header: Clerk's organization switcher once the user belongs to an organization (on an
 * instance without organizations it would open Clerk's "enable organizations" prompt).
 */
export function OrgBar() {
  const { orgId } = useAuth();
  const { user } = useUser();
  if (!orgId && !user?.organizationMemberships.length) return null;
  return (
    <div className="org-bar">
      <OrganizationSwitcher />
      {orgId ? <MembershipCheck /> : null}
    </div>
  );
}

/** Clerk says an organization is active; Convex counts it only with a synced membership (orgs.current). */
function MembershipCheck() {
  const { isAuthenticated } = useConvexAuth();
  const user = useQuery(api.users.current, isAuthenticated ? {} : "skip");
  const org = useQuery(api.orgs.current, user ? {} : "skip");
  if (org !== null) return null;
  return (
    <p className="note" role="note">
      Convex does not count you as a member of this organization: Clerk's <code>organizationMembership</code>{" "}
      webhook has not arrived, or you were removed. Nothing in it is shown or saved until it does. Switch to
      an organization you belong to, or check that the webhook subscribes to the organization events.
    </p>
  );
}
