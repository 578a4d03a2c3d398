import type { RawEnv } from "../env.ts";
import { CopyableCommand } from "./copyable-command.tsx";
import { envProblems } from "./env-problems.ts";

const ENV_FILE = "apps/web/.env.local";
const CLERK_API_KEYS_URL = "https://dashboard.clerk.com/last-active?path=api-keys";

/** Renders `code` spans for the backtick-quoted parts of a message from env-problems.ts. */
function withInlineCode(text: string) {
  return text.split("`").map((part, index) =>
    // Odd pieces sat between backticks. Index keys are stable: the text never changes after render.
    index % 2 === 1 ? <code key={index}>{part}</code> : part,
  );
}

/** State 1: the app cannot start until both public config values are present and well-formed. */
export function SetupGuide({ raw }: { raw: RawEnv }) {
  const problems = envProblems(raw);
  return (
    <article className="card setup-guide" aria-labelledby="setup-title">
      <h1 id="setup-title">Finish setting up</h1>
      <p>
        The web app reads two values from <code>{ENV_FILE}</code> (a copy of{" "}
        <code>apps/web/.env.example</code>
        ). {problems.length === 1 ? "One needs" : "Both need"} your attention:
      </p>
      {problems.map((problem) => (
        <section key={problem.variable} className="problem" aria-labelledby={`problem-${problem.variable}`}>
          <h2 id={`problem-${problem.variable}`}>
            <code>{problem.variable}</code> <span className="badge badge-bad">{problem.kind}</span>
          </h2>
          {problem.problem === undefined ? null : <p>{withInlineCode(problem.problem)}</p>}
          <p>
            <strong>Fix:</strong> {withInlineCode(problem.fix)}
          </p>
          {problem.copy === undefined ? (
            <p>
              <a href={CLERK_API_KEYS_URL} target="_blank" rel="noreferrer">
                Open Clerk dashboard → Configure → API keys
              </a>
            </p>
          ) : (
            <CopyableCommand text={problem.copy} />
          )}
        </section>
      ))}
      <section aria-labelledby="then-title">
        <h2 id="then-title">Then save the file</h2>
        <p>
          <code>pnpm dev</code> restarts by itself when <code>.env.local</code> changes, and this page reloads
          with the new values. A production build needs a new <code>pnpm build</code>.
        </p>
      </section>
    </article>
  );
}
