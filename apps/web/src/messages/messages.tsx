import { useAuth } from "@clerk/react";
import { api } from "@repo/backend/api";
import { usePaginatedQuery } from "convex/react";
import { NOT_A_MEMBER, useOrgQuery } from "../use-org-query.ts";
import { MessageForm } from "./message-form.tsx";
import { RemoveButton } from "./remove-button.tsx";

/** Messages per page: the first screenful, then this many more per "Show older". */
export const PAGE_SIZE = 20;

/**
 * The example feature (README → "What you can delete"), its own page (routes.tsx): a live, paginated list of
 * the room's messages with each author's current name and picture. The room is the active organization's
 * (Clerk's switcher), or the shared one, "Everyone", without one.
 */
export function Messages() {
  const { orgId } = useAuth();
  const answer = useOrgQuery(api.orgs.current, {});
  // Convex does not count the caller in the organization the token names (NOT_A_MEMBER, or null from a
  // backend that answers so): the room stays shut and the header's note says why, until the membership lands.
  const shut = answer === NOT_A_MEMBER || (Boolean(orgId) && answer === null);
  const org = answer === NOT_A_MEMBER ? undefined : answer;
  const room = shut ? undefined : orgId ? org?.name : "Everyone";
  // messages.list refuses a non-member the same way, so it is asked only once orgs.current has let them in.
  const { results, status, loadMore } = usePaginatedQuery(
    api.messages.list,
    answer === undefined || shut ? "skip" : {},
    { initialNumItems: PAGE_SIZE },
  );
  return (
    <section className="card" aria-labelledby="messages-title">
      <h1 id="messages-title">Messages{room ? ` · ${room}` : ""}</h1>
      {shut ? null : <MessageForm />}
      {shut ? null : status === "LoadingFirstPage" ? (
        <p role="status">Loading messages…</p>
      ) : results.length === 0 ? (
        <p className="muted">No messages yet. Say hello: everyone in this room sees it at once.</p>
      ) : (
        <ol className="messages" aria-label="Messages, newest first">
          {results.map((message) => (
            <li key={message._id} className="message">
              {message.author.imageUrl === undefined ? (
                <span className="message-avatar" aria-hidden="true" />
              ) : (
                <img className="message-avatar" src={message.author.imageUrl} alt="" />
              )}
              <div>
                <p className="message-meta">
                  <strong>{message.author.name}</strong>{" "}
                  <time dateTime={new Date(message._creationTime).toISOString()}>
                    {new Date(message._creationTime).toLocaleString()}
                  </time>
                </p>
                <p className="message-body">{message.body}</p>
              </div>
              {message.canRemove ? <RemoveButton id={message._id} /> : null}
            </li>
          ))}
        </ol>
      )}
      {status === "CanLoadMore" ? (
        <button type="button" className="button button-secondary" onClick={() => loadMore(PAGE_SIZE)}>
          Show older messages
        </button>
      ) : null}
      {status === "LoadingMore" ? <p role="status">Loading older messages…</p> : null}
    </section>
  );
}
