// @vitest-environment node
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readEnvFile, setEnvFileValue } from "./env-file.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "env-file-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("setEnvFileValue", () => {
  it("sets a value and keeps every other line and comment", () => {
    const file = join(dir, ".env.local");
    writeFileSync(file, "# Convex\nVITE_CONVEX_URL=https://old.convex.cloud\nOTHER=1\n");
    setEnvFileValue(file, "VITE_CONVEX_URL", "https://new.convex.cloud");
    setEnvFileValue(file, "ADDED", "yes");
    expect(readFileSync(file, "utf8")).toBe(
      "# Convex\nVITE_CONVEX_URL=https://new.convex.cloud\nOTHER=1\nADDED=yes\n",
    );
    expect(readEnvFile(file)).toEqual({
      VITE_CONVEX_URL: "https://new.convex.cloud",
      OTHER: "1",
      ADDED: "yes",
    });
    // The temporary file it wrote through is gone.
    expect(readdirSync(dir)).toEqual([".env.local"]);
  });

  it("keeps the file's mode: a 600 file stays 600", () => {
    const file = join(dir, ".env.local");
    writeFileSync(file, "SECRET=1\n", { mode: 0o600 });
    chmodSync(file, 0o600);
    setEnvFileValue(file, "VITE_CONVEX_URL", "https://new.convex.cloud");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("changes `export KEY=` and `KEY = v` lines in place instead of adding a second line", () => {
    const file = join(dir, ".env.local");
    writeFileSync(file, "export VITE_CONVEX_URL=https://old.convex.cloud\nOTHER = 1\n");
    setEnvFileValue(file, "VITE_CONVEX_URL", "https://new.convex.cloud");
    setEnvFileValue(file, "OTHER", "2");
    expect(readFileSync(file, "utf8")).toBe("export VITE_CONVEX_URL=https://new.convex.cloud\nOTHER=2\n");
    expect(readEnvFile(file)).toEqual({ VITE_CONVEX_URL: "https://new.convex.cloud", OTHER: "2" });
  });

  it("keeps CRLF line endings in a file that has them", () => {
    const file = join(dir, ".env.local");
    writeFileSync(file, "# Convex\r\nVITE_CONVEX_URL=https://old.convex.cloud\r\n");
    setEnvFileValue(file, "VITE_CONVEX_URL", "https://new.convex.cloud");
    setEnvFileValue(file, "ADDED", "yes");
    expect(readFileSync(file, "utf8")).toBe(
      "# Convex\r\nVITE_CONVEX_URL=https://new.convex.cloud\r\nADDED=yes\r\n",
    );
  });

  it("refuses to write through a symlink and leaves its target untouched", () => {
    const outside = join(dir, "outside.txt");
    writeFileSync(outside, "precious\n");
    const link = join(dir, ".env.local");
    symlinkSync(outside, link);
    expect(() => setEnvFileValue(link, "VITE_CONVEX_URL", "https://x.convex.cloud")).toThrow(
      /is a symbolic link; not writing through it/,
    );
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(readlinkSync(link)).toBe(outside);
  });

  it("refuses a dangling symlink too (it would create the file it points at)", () => {
    const link = join(dir, ".env.local");
    symlinkSync(join(dir, "nowhere", "file"), link);
    expect(() => setEnvFileValue(link, "KEY", "value")).toThrow(/symbolic link/);
  });
});
