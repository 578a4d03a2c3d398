import type { ReactNode } from "react";

/** A short wait, announced to screen readers; `children` can add what to do if it lasts. */
export function Status({ label, children }: { label: string; children?: ReactNode }) {
  return (
    <div>
      <p className="status" role="status">
        <span className="spinner" aria-hidden="true" /> {label}
      </p>
      {children}
    </div>
  );
}
