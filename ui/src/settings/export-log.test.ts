import { describe, expect, it } from "vitest";
import { segmentName } from "./export-log";

describe("segmentName", () => {
  it("shows a DM list's segment by its name, without the filter kept beside it", () => {
    expect(segmentName('郵送できる人 {"all":true,"parts":[]}')).toBe("郵送できる人");
    expect(segmentName('全顧客 {"all":true,"parts":[]}')).toBe("全顧客");
  });

  it("leaves other records' text as it is", () => {
    expect(segmentName("対応履歴 2026-11-01〜2026-11-30")).toBe("対応履歴 2026-11-01〜2026-11-30");
    expect(segmentName("")).toBe("");
  });
});
