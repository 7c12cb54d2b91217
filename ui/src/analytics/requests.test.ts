import { describe, expect, it } from "vitest";
import type { RequestFigures } from "../shared/api";
import { requestDays, requestRows } from "./requests";

const figures = (over: Partial<RequestFigures>): RequestFigures => ({
  months: [],
  received: 0,
  closed: 0,
  median_days: null,
  p90_days: null,
  by_category: [],
  by_cause: [],
  by_partner: [],
  by_house_age: [],
  repeat_houses: [],
  ...over,
});

describe("request figures", () => {
  it("puts categories and causes side by side, the shorter list padded", () => {
    const rows = requestRows(
      figures({
        by_category: [
          { name: "雨漏り", count: 3 },
          { name: "建具", count: 1 },
        ],
        by_cause: [{ name: "施工", count: 2 }],
      }),
    );
    expect(rows).toEqual([
      { category: { name: "雨漏り", count: 3 }, cause: { name: "施工", count: 2 } },
      { category: { name: "建具", count: 1 }, cause: null },
    ]);
  });

  it("has no rows without requests", () => {
    expect(requestRows(figures({}))).toEqual([]);
  });

  it("says the days to close, or a dash before any is closed", () => {
    expect(requestDays(figures({ median_days: 3, p90_days: 12 }))).toBe("完了までの日数: 中央値 3日 ・ 90% 12日");
    expect(requestDays(figures({}))).toBe("完了までの日数: 中央値 — ・ 90% —");
  });
});
