// @vitest-environment node
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
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
