import { useEffect, useState } from "react";

/** True once `ms` have passed since the component mounted: turns a wait into an explanation, never a spinner. */
export function useDelayPassed(ms: number): boolean {
  const [passed, setPassed] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setPassed(true), ms);
    return () => clearTimeout(timer);
  }, [ms]);
  return passed;
}
