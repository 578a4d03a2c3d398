import { api } from "@repo/backend/api";
import { useMutation } from "convex/react";
import { ConvexError } from "convex/values";
import { type FormEvent, useState } from "react";

/** Posts a message; the server checks it (1 to 1,000 characters) and its refusal is shown as is. */
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
      setError(
        failure instanceof ConvexError
          ? (failure.data as { message: string }).message
          : "Could not send the message. Check your connection and try again.",
      );
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
