import { describe, expect, it } from "vitest";
import type { RequestFigures } from "../shared/api";
import { repeatHouses, requestDays, sideBySide } from "./requests";

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
  it("puts two counts side by side, the shorter list padded", () => {
    const rows = sideBySide(
      [
        { name: "雨漏り", count: 3 },
        { name: "建具", count: 1 },
      ],
      [{ name: "施工", count: 2 }],
    );
    expect(rows).toEqual([
      { left: { name: "雨漏り", count: 3 }, right: { name: "施工", count: 2 } },
      { left: { name: "建具", count: 1 }, right: null },
    ]);
    expect(sideBySide([], [{ name: "1年未満", count: 1 }])).toEqual([{ left: null, right: { name: "1年未満", count: 1 } }]);
  });

  it("has no rows without requests", () => {
    expect(sideBySide([], [])).toEqual([]);
  });

  it("says the days to close, or a dash before any is closed", () => {
    expect(requestDays(figures({ median_days: 3, p90_days: 12 }))).toBe("完了までの日数: 中央値 3日 ・ 90% 12日");
    expect(requestDays(figures({}))).toBe("完了までの日数: 中央値 — ・ 90% —");
  });

  it("counts the houses asked about more than once and names them", () => {
    const repeats = repeatHouses(
      figures({
        repeat_houses: [{ customer_id: 1, customer_name: "佐藤 花子", project_id: 7, project_title: "佐藤邸 新築", requests: 3 }],
      }),
    );
    expect(repeats).toEqual({ count: "同じ住まいから2件以上: 1 棟", houses: ["佐藤 花子様（佐藤邸 新築）3件"] });
    expect(repeatHouses(figures({}))).toEqual({ count: "同じ住まいから2件以上: 0 棟", houses: [] });
  });
});
