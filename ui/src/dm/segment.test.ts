import { describe, expect, it } from "vitest";
import type { Segment } from "../shared/api";
import { added, blankCondition, conditionsOf, fresh, opened, removeAt, replaceAt, toSave } from "./segment";

describe("editing a segment", () => {
  it("starts a segment with one condition to fill in and a list with none", () => {
    expect(conditionsOf(fresh("dynamic").filter)).toEqual([{ kind: "status_in", ids: [] }]);
    expect(fresh("static").filter.parts).toEqual([]);
  });

  it("adds, replaces and removes conditions, keeping all/any", () => {
    let filter = { ...fresh("dynamic").filter, all: false };
    filter = added(filter);
    filter = replaceAt(filter, 1, blankCondition("birthday_month"));
    expect(conditionsOf(filter).map((c) => c.kind)).toEqual(["status_in", "birthday_month"]);
    filter = removeAt(filter, 0);
    expect(conditionsOf(filter).map((c) => c.kind)).toEqual(["birthday_month"]);
    expect(filter.all).toBe(false);
  });

  it("opens a list as its members and saves it without a filter", () => {
    const list = { id: 7, name: "見学会招待", kind: "static", filter: { all: true, parts: [] } } as unknown as Segment;
    const editing = opened(list);
    expect(conditionsOf(editing.filter)).toEqual([{ kind: "in_list", segment_id: 7 }]);
    expect(toSave(editing).filter.parts).toEqual([]);
  });

  it("saves a dynamic segment's filter as edited", () => {
    const editing = fresh("dynamic");
    expect(toSave(editing).filter).toBe(editing.filter);
  });
});
