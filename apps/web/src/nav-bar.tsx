import { OrganizationSwitcher, UserButton, useAuth, useUser } from "@clerk/react";
import { NavLink } from "react-router";
import { pages } from "./routes.tsx";

/** The signed-in header: a link per page, then Clerk's organization switcher and user menu. */
export function NavBar() {
  const { orgId } = useAuth();
  const { user } = useUser();
  // Only for someone in an organization: on an instance without them it opens Clerk's "enable" prompt.
  const inOrganization = Boolean(orgId) || Boolean(user?.organizationMemberships.length);
  return (
    <nav className="nav-bar" aria-label="Pages">
      {pages.map(({ path, label }) => (
        <NavLink key={path} to={path} end>
          {label}
        </NavLink>
      ))}
      <span className="nav-bar-clerk">
        {inOrganization ? <OrganizationSwitcher /> : null}
        <UserButton />
      </span>
    </nav>
  );
}
