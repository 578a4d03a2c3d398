import { Link, useLocation } from "react-router";

/** A path no page has (a typo, an old link): say so, and offer the way home. */
export function NotFound() {
  const { pathname } = useLocation();
  return (
    <article className="card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>
        There is no page at <code>{pathname}</code>.
      </p>
      <Link to="/">Go to the home page</Link>
    </article>
  );
}
