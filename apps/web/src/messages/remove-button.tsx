import { api } from "@repo/backend/api";
import type { Id } from "@repo/backend/dataModel";
import { useMutation } from "convex/react";
import { useState } from "react";

/** Deletes one of the caller's messages; the list drops it when the server pushes the change. */
export function RemoveButton({ id }: { id: Id<"messages"> }) {
  const remove = useMutation(api.messages.remove);
  const [state, setState] = useState<"idle" | "removing" | "failed">("idle");

  async function click() {
    setState("removing");
    try {
      await remove({ id });
    } catch {
      setState("failed");
    }
  }

  return (
    <div className="message-actions">
      <button
        type="button"
        className="button button-secondary"
        disabled={state === "removing"}
        onClick={click}
        aria-label="Delete this message"
      >
        {state === "removing" ? "Deleting…" : "Delete"}
      </button>
      {state === "failed" ? (
        <p className="error" role="alert">
          Could not delete the message. Try again.
        </p>
      ) : null}
    </div>
  );
}
