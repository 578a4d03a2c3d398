import { SlowHint } from "./diagnostics/slow-hint.tsx";

/** A short wait, announced to screen readers; `slow` names what holds it up, to say what to check if it lasts. */
export function Status({ label, slow }: { label: string; slow?: "clerk" | "convex" }) {
  return (
    <div>
      <p className="status" role="status">
        <span className="spinner" aria-hidden="true" /> {label}
      </p>
      {slow && <SlowHint on={slow} />}
    </div>
  );
}
