import { describe, expect, it } from "vitest";
import { shouldQuery } from "./ime";

describe("shouldQuery", () => {
  it("holds queries while the IME composes and sends the result once", () => {
    const guard = { composing: false };
    expect(shouldQuery(guard, { type: "input" })).toBe(true);
    expect(shouldQuery(guard, { type: "compositionstart" })).toBe(false);
    expect(shouldQuery(guard, { type: "input", isComposing: true })).toBe(false);
    expect(shouldQuery(guard, { type: "input" })).toBe(false);
    expect(shouldQuery(guard, { type: "compositionend" })).toBe(true);
    expect(shouldQuery(guard, { type: "input" })).toBe(true);
  });

  it("respects the browser's own isComposing flag", () => {
    expect(shouldQuery({ composing: false }, { type: "input", isComposing: true })).toBe(false);
  });
});
