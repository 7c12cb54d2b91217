import { describe, expect, it } from "vitest";
import { emptyQuery } from "./query";
import { isOnly, only, showsAll } from "./sidebar-filters";

describe("sidebar filters", () => {
  it("replaces any other quick filter but keeps the search and the order", () => {
    const searching = { ...emptyQuery, text: "山田", sort: "updated" as const, grades: ["A" as const], overdue_only: true };
    const next = only(searching, { status_ids: [4] });
    expect(next).toMatchObject({ text: "山田", sort: "updated", status_ids: [4], grades: [], overdue_only: false });
    expect(showsAll(next)).toBe(false);
    expect(showsAll(only(next, {}))).toBe(true);
  });

  it("marks a filter active only when it is the one value shown", () => {
    expect(isOnly([4], 4)).toBe(true);
    expect(isOnly([4, 5], 4)).toBe(false);
    expect(isOnly([], 4)).toBe(false);
  });
});
