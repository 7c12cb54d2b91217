import { describe, expect, it } from "vitest";
import { displayId } from "./ids";
import { t } from "../i18n";

describe("displayId", () => {
  it("shows the first PC's ids as they always were", () => {
    expect(displayId(1)).toBe("1");
    expect(displayId(123)).toBe("123");
    expect(displayId(2 ** 40 - 1)).toBe(String(2 ** 40 - 1));
  });

  it("shows another PC's ids as its number and its count", () => {
    expect(displayId(3 * 2 ** 40 + 17)).toBe("3-17");
    expect(displayId(5 * 2 ** 40 + 1)).toBe("5-1");
  });

  it("is what the merge and erasure messages show", () => {
    const other = 3 * 2 ** 40 + 17;
    expect(t.duplicates.merged("山田 太郎", other, 12)).toBe("山田 太郎（ID 3-17）を ID 12 に統合しました。");
    expect(t.privacy.erased(other)).toBe("顧客 ID 3-17 を消去しました。");
  });
});
