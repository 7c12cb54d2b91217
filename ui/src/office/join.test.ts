import { describe, expect, it } from "vitest";
import { codeComplete, normalizeCode, stepState } from "./join";

describe("the pairing code as typed", () => {
  it("takes the form the hub shows as the person types", () => {
    expect(normalizeCode("123")).toBe("123");
    expect(normalizeCode("123456")).toBe("123456");
    expect(normalizeCode("123456a")).toBe("123456-A");
    expect(normalizeCode("123456abcdefgh")).toBe("123456-ABCD-EFGH");
  });

  it("reads full-width, spaces and other separators", () => {
    expect(normalizeCode("１２３４５６－ａｂｃｄ－ｅｆｇｈ")).toBe("123456-ABCD-EFGH");
    expect(normalizeCode(" 123 456 abcd efgh ")).toBe("123456-ABCD-EFGH");
    expect(normalizeCode("123456_ABCD.EFGH")).toBe("123456-ABCD-EFGH");
  });

  it("stops at a whole code, and knows when it is whole", () => {
    expect(normalizeCode("123456-ABCD-EFGH-XYZ")).toBe("123456-ABCD-EFGH");
    expect(codeComplete("123456-ABCD-EFG")).toBe(false);
    expect(codeComplete("１２３４５６ABCDEFGH")).toBe(true);
  });
});

describe("joining's steps", () => {
  it("marks the steps before the current one done", () => {
    expect(stepState(null, "pairing")).toBe("todo");
    expect(stepState("pairing", "pairing")).toBe("current");
    expect(stepState("downloading", "pairing")).toBe("done");
    expect(stepState("downloading", "switching")).toBe("todo");
    expect(stepState("switching", "downloading")).toBe("done");
  });
});
