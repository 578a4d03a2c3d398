import { Component, type ErrorInfo, type ReactNode } from "react";

type State = { error: Error | null };

/**
 * The last line against a blank page: a render error anywhere below (a query whose function is not
 * deployed yet, a chunk that no longer exists after a deploy) shows what happened and a way forward.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <article className="card" role="alert" aria-labelledby="error-title">
        <h1 id="error-title">Something went wrong</h1>
        <p>
          <code>{error.message}</code>
        </p>
        <p>
          If this says a function could not be found, the deployment does not have this code yet: keep{" "}
          <code>pnpm dev</code> running (it pushes the functions), and check that <code>VITE_CONVEX_URL</code>{" "}
          points at the same deployment. <code>pnpm setup:check</code> compares them.
        </p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </article>
    );
  }
}
