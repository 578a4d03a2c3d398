import { useState } from "react";

type CopyState = "idle" | "copied" | "failed";

/** A command or value to paste elsewhere, with a button that copies it exactly. */
export function CopyableCommand({ text, label }: { text: string; label?: string }) {
  const [state, setState] = useState<CopyState>("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // Clipboard access needs a secure context and permission; the text stays selectable either way.
      setState("failed");
    }
  }

  return (
    <div className="copyable">
      <code className="copyable-text">{text}</code>
      <button
        type="button"
        className="button button-small"
        onClick={copy}
        aria-label={`Copy ${label ?? text}`}
      >
        {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}
      </button>
    </div>
  );
}
