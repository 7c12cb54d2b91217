import { describe, expect, it } from "vitest";
import type { RequestSettings } from "../shared/api";
import { withYears, yearsOf } from "./after-care";

const settings: RequestSettings = {
  warranty_years: [
    { category: "水回り", years: 2 },
    { category: "建具", years: 2 },
  ],
  exclude_open_from_dm: true,
};

describe("withYears", () => {
  it("changes a category's period in its place", () => {
    const next = withYears(settings, "水回り", "5");
    expect(next.warranty_years).toEqual([
      { category: "水回り", years: 5 },
      { category: "建具", years: 2 },
    ]);
    expect(yearsOf(next, "水回り")).toBe(5);
  });
  it("adds a period for a category that had none, last", () => {
    expect(withYears(settings, "外装", " 10 ").warranty_years.at(-1)).toEqual({ category: "外装", years: 10 });
  });
  it("removes the period when the field is emptied", () => {
    const next = withYears(settings, "建具", "");
    expect(yearsOf(next, "建具")).toBeNull();
    expect(next.warranty_years).toHaveLength(1);
  });
  it("passes what is not a number on as 0 years, for the ledger to refuse by name", () => {
    expect(yearsOf(withYears(settings, "建具", "二"), "建具")).toBe(0);
  });
  it("leaves the settings it was given as they were, and the DM switch alone", () => {
    const next = withYears(settings, "水回り", "");
    expect(settings.warranty_years).toHaveLength(2);
    expect(next.exclude_open_from_dm).toBe(true);
  });
});
