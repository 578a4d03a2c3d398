/** Just enough version comparison for `engines.node`-style minimums (`>=22.12`), without a semver dependency. */

function parts(version: string): number[] {
  return version
    .replace(/^v/, "")
    .split(/[.+-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** True when `version` is at least the `>=x.y.z` minimum; any other range form is treated as satisfied. */
export function satisfiesMinimum(version: string, range: string): boolean {
  const match = /^>=\s*(\S+)$/.exec(range.trim());
  if (match?.[1] === undefined) return true;
  const have = parts(version);
  const need = parts(match[1]);
  for (let i = 0; i < 3; i++) {
    const diff = (have[i] ?? 0) - (need[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}
