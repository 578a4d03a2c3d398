/** Minimal reader and writer for the KEY=value `.env.local` files that the Convex CLI and Vite use. */
import { existsSync, lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type EnvFile = Record<string, string>;

export function parseEnvFile(text: string): EnvFile {
  const env: EnvFile = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const comment = value.search(/\s#/);
    if (!/^["']/.test(value) && comment !== -1) value = value.slice(0, comment).trim();
    env[key] = value.replace(/^(["'])(.*)\1$/, "$2");
  }
  return env;
}

export function readEnvFile(path: URL | string): EnvFile {
  return existsSync(path) ? parseEnvFile(readFileSync(path, "utf8")) : {};
}

/**
 * Sets `key` in the file, keeping every other line (and comment) as it was. Refuses a symlink: writing
 * through one would change a file outside the repository. The new text goes to a temporary file that then
 * replaces the old one, so an interrupted write never leaves half a file.
 */
export function setEnvFileValue(path: URL | string, key: string, value: string): void {
  const file = typeof path === "string" ? path : fileURLToPath(path);
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new Error(
      `${file} is a symbolic link; not writing through it. Replace it with a plain file, or set ${key} there by hand.`,
    );
  }
  const lines = existsSync(file) ? readFileSync(file, "utf8").split(/\r?\n/) : [];
  const index = lines.findIndex((line) => line.trim().startsWith(`${key}=`));
  if (index === -1) {
    if (lines.length > 0 && lines.at(-1) === "") lines.pop();
    lines.push(`${key}=${value}`, "");
  } else {
    lines[index] = `${key}=${value}`;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, lines.join("\n"), { flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
