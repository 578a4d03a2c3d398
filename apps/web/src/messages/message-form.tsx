import { api } from "@repo/backend/api";
import { useMutation } from "convex/react";
import { ConvexError } from "convex/values";
import { type FormEvent, useState } from "react";

/**
 * Posts a message; the server checks it (1 to 1,000 visible characters, a burst of 10 then one a second)
 * and its refusal is shown: as is, or for RATE_LIMITED as the wait before the next try.
 */
export function MessageForm() {
  const send = useMutation(api.messages.send);
  const [body, setBody] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await send({ body });
      setBody("");
    } catch (failure) {
      setError(refusal(failure));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="message-form" onSubmit={submit}>
      <label htmlFor="message-body">New message</label>
      <textarea
        id="message-body"
        rows={2}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        aria-describedby={error === null ? undefined : "message-error"}
      />
      <button type="submit" className="button" disabled={sending || body.trim() === ""}>
        {sending ? "Sending…" : "Send"}
      </button>
      {error === null ? null : (
        <p id="message-error" className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

type Refusal = { code?: string; message?: string; retryAfterMs?: number };

function refusal(failure: unknown): string {
  if (!(failure instanceof ConvexError)) {
    return "Could not send the message. Check your connection and try again.";
  }
  const data = failure.data as Refusal;
  if (data.code === "RATE_LIMITED" && typeof data.retryAfterMs === "number") {
    const seconds = Math.max(1, Math.ceil(data.retryAfterMs / 1000));
    return `You are sending messages quickly: wait ${seconds} ${seconds === 1 ? "second" : "seconds"}, then send again.`;
  }
  return data.message ?? "The server refused the message.";
}
