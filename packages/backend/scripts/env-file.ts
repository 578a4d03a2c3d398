/** Minimal reader and writer for the KEY=value `.env.local` files that the Convex CLI and Vite use. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

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

/** Sets `key` in the file, keeping every other line (and comment) as it was. */
export function setEnvFileValue(path: URL | string, key: string, value: string): void {
  const lines = existsSync(path) ? readFileSync(path, "utf8").split(/\r?\n/) : [];
  const index = lines.findIndex((line) => line.trim().startsWith(`${key}=`));
  if (index === -1) {
    if (lines.length > 0 && lines.at(-1) === "") lines.pop();
    lines.push(`${key}=${value}`, "");
  } else {
    lines[index] = `${key}=${value}`;
  }
  writeFileSync(path, lines.join("\n"));
}
