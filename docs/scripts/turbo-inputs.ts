/**
 * Reads a package's turbo.json `inputs` as repo-relative globs, so a test can prove that every file the
 * docs check reads is one turbo hashes: otherwise an edit to a snippet source would replay a stale pass.
 */
import { posix } from "node:path";

/** `**` spans directories, `*` stays within one; nothing else is special in the globs we write. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => {
      if (part === "**/") return "(?:.*/)?";
      if (part === "**") return ".*";
      if (part === "*") return "[^/]*";
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${pattern}$`);
}

/** The task's inputs as repo-relative globs (negations dropped: they can only narrow what is hashed). */
export function repoRelativeInputs(inputs: readonly string[], packageDir: string): string[] {
  return inputs
    .filter((input) => !input.startsWith("!"))
    .map((input) => {
      if (input === "$TURBO_DEFAULT$") return `${packageDir}/**`;
      if (input.startsWith("$TURBO_ROOT$/")) return input.slice("$TURBO_ROOT$/".length);
      return posix.join(packageDir, input);
    });
}

export function notCovered(paths: readonly string[], globs: readonly string[]): string[] {
  const patterns = globs.map(globToRegExp);
  return paths.filter((path) => !patterns.some((pattern) => pattern.test(path)));
}
