// @vitest-environment node
import { describe, expect, it } from "vitest";
import { satisfiesMinimum } from "./versions.ts";

describe("satisfiesMinimum", () => {
  it("accepts the minimum itself and anything newer", () => {
    expect(satisfiesMinimum("20.19.0", ">=20.19")).toBe(true);
    expect(satisfiesMinimum("v20.20.2", ">=20.19")).toBe(true);
    expect(satisfiesMinimum("22.1.0", ">=20.19")).toBe(true);
  });

  it("rejects an older minor or major, comparing numbers rather than strings", () => {
    expect(satisfiesMinimum("20.18.3", ">=20.19")).toBe(false);
    expect(satisfiesMinimum("18.20.0", ">=20.19")).toBe(false);
    expect(satisfiesMinimum("20.9.0", ">=20.19")).toBe(false);
  });
});
