/** The real repository as `RepoFiles`, and the list of Markdown files the docs check covers. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RepoFiles } from "./check-docs.ts";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export function repoFiles(root: string = repoRoot): RepoFiles {
  return {
    read(path) {
      const absolute = join(root, path);
      return existsSync(absolute) && statSync(absolute).isFile() ? readFileSync(absolute, "utf8") : undefined;
    },
    exists: (path) => existsSync(join(root, path)),
  };
}

/** Every `.md` file under docs/ (outside node_modules) and the root README, repo-relative. */
export function markdownFiles(root: string = repoRoot): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== "node_modules") walk(path);
      else if (entry.isFile() && entry.name.endsWith(".md")) found.push(path);
    }
  };
  walk("docs");
  if (existsSync(join(root, "README.md"))) found.push("README.md");
  return found.sort();
}
