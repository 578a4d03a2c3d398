import { Route, Routes } from "react-router";
import { Home } from "./home.tsx";
import { Messages } from "./messages/messages.tsx";
import { NotFound } from "./not-found.tsx";

/**
 * Every page, in the header's order: add yours here (README → "Add a page"). Each needs sign-in and the
 * user's row in Convex (profile-gate.tsx), so a page can rely on `api.users.current`.
 */
export const pages = [
  { path: "/", label: "Home", element: <Home /> },
  { path: "/messages", label: "Messages", element: <Messages /> },
  // Yours here, one line each.
];

/** The page at the current URL; any other path gets the not-found page, never a blank one. */
export function AppRoutes() {
  return (
    <Routes>
      {pages.map(({ path, element }) => (
        <Route key={path} path={path} element={element} />
      ))}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
