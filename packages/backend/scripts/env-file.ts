/** Minimal reader and writer for the KEY=value `.env.local` files that the Convex CLI and Vite use. */
import {
  chmodSync,
  existsSync,
  lstatSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { fileURLToPath } from "node:url";

export type EnvFile = Record<string, string>;

/** The key a line sets, as dotenv reads it: `KEY=v`, `KEY = v` and `export KEY=v` all set KEY. */
function keyOf(line: string): string | undefined {
  const eq = line.indexOf("=");
  if (line.trim().startsWith("#") || eq === -1) return undefined;
  return (
    line
      .slice(0, eq)
      .trim()
      .replace(/^export\s+/, "") || undefined
  );
}

export function parseEnvFile(text: string): EnvFile {
  const env: EnvFile = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const key = keyOf(line);
    if (key === undefined) continue;
    let value = line.slice(line.indexOf("=") + 1).trim();
    const comment = value.search(/\s#/);
    if (!/^["']/.test(value) && comment !== -1) value = value.slice(0, comment).trim();
    env[key] = value.replace(/^(["'])(.*)\1$/, "$2");
  }
  return env;
}

export function readEnvFile(path: URL | string): EnvFile {
  return existsSync(path) ? parseEnvFile(readFileSync(path, "utf8")) : {};
}

/** Vite's order for `vite build` (mode production): the environment, then these files of the app, first wins. */
const productionFiles = [".env.production.local", ".env.production", ".env.local", ".env"];

/** The value of `name` that `vite build` in `appDir` bakes in, and where it comes from; undefined when unset. */
export function productionBuildValue(
  appDir: URL,
  name: string,
  env: Record<string, string | undefined> = process.env,
): { value: string; source: string } | undefined {
  const fromEnv = env[name];
  if (fromEnv) return { value: fromEnv, source: "the environment" };
  for (const file of productionFiles) {
    const value = readEnvFile(new URL(file, appDir))[name];
    if (value) return { value, source: file };
  }
  return undefined;
}

/**
 * Sets `key` in the file, keeping every other line (and comment), the file's mode (a 600 file holding secrets
 * stays 600) and its line endings as they were. The line that sets it now (the last, as dotenv reads them) is
 * changed in place, `export ` kept. Refuses a symlink: writing through one would change a file outside the
 * repository. The new text goes to a temporary file that then replaces the old one, so an interrupted write
 * never leaves half a file.
 */
export function setEnvFileValue(path: URL | string, key: string, value: string): void {
  const file = typeof path === "string" ? path : fileURLToPath(path);
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new Error(
      `${file} is a symbolic link; not writing through it. Replace it with a plain file, or set ${key} there by hand.`,
    );
  }
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const lines = text === "" ? [] : text.split(/\r?\n/);
  const index = lines.findLastIndex((line) => keyOf(line) === key);
  if (index === -1) {
    if (lines.length > 0 && lines.at(-1) === "") lines.pop();
    lines.push(`${key}=${value}`, "");
  } else {
    lines[index] = `${/^\s*export\s/.test(lines[index] ?? "") ? "export " : ""}${key}=${value}`;
  }
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : undefined;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, lines.join(text.includes("\r\n") ? "\r\n" : "\n"), { flag: "wx", mode: 0o600 });
    // The umask applied to `mode` above; chmod sets the old file's mode exactly.
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
