import { describe, expect, it } from "vitest";
import { pairedRanges } from "./use-import";
import { t } from "../i18n";

describe("pairedRanges", () => {
  it("ends each customer's rows where the next customer starts", () => {
    // The third customer lost its second row: it is one row, not two.
    expect(pairedRanges([6, 8, 10, 11, 13])).toEqual([
      [6, 7],
      [8, 9],
      [10, 10],
      [11, 12],
    ]);
  });

  it("guesses nothing for a customer no later row ends", () => {
    expect(pairedRanges([6])).toEqual([]);
    expect(pairedRanges([])).toEqual([]);
  });

  it("reads as the office would say it", () => {
    const ranges = pairedRanges([6, 8, 10, 11]).map(([first, last]) => t.importer.pairedRows(first, last));
    expect(t.importer.pairing(2, ranges)).toBe("この表は1人を2行で書いています（6・7行目 → 1人、8・9行目 → 1人、10行目 → 1人 …）");
  });
});
