import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, gridTemplate, loadColumns, storeColumns, toggled } from "./list-columns";

const storage = (value: string | null) => ({ getItem: () => value });

describe("list columns", () => {
  it("shows a column in the list's own order, wherever it was ticked", () => {
    expect(toggled(["name", "phone"], "kana", true)).toEqual(["name", "kana", "phone"]);
    expect(toggled(["name", "kana", "phone"], "kana", false)).toEqual(["name", "phone"]);
  });

  it("reads back what was stored, and the defaults for anything else", () => {
    const kept: Record<string, string> = {};
    storeColumns(["name", "email"], { setItem: (k, v) => void (kept[k] = v) });
    expect(loadColumns(storage(Object.values(kept)[0]))).toEqual(["name", "email"]);
    expect(loadColumns(storage("{broken"))).toEqual(DEFAULT_COLUMNS);
    expect(loadColumns(storage('["name","no_such_column"]'))).toEqual(DEFAULT_COLUMNS);
    expect(loadColumns(storage(null))).toEqual(DEFAULT_COLUMNS);
  });

  it("lays the grid out in the columns' order", () => {
    expect(gridTemplate(["grade", "phone"])).toBe("56px 130px");
  });
});
