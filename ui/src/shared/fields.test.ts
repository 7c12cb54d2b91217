import { describe, expect, it } from "vitest";
import { shownValue } from "./fields";
import { t } from "../i18n";

const staff = [{ id: 3, name: "佐藤 健一", kana: "", active: true, role: "admin" as const, has_pin: false }];

describe("shownValue", () => {
  it("reads Rust's flag columns as yes or no, and nothing else", () => {
    expect(shownValue("dm_opt_out", "1", { staff })).toBe(t.options.yes);
    expect(shownValue("moved", "0", { staff })).toBe(t.options.no);
    expect(shownValue("notes", "1", { staff })).toBe("1");
  });

  it("names codes and staff, and keeps an unknown value as stored", () => {
    expect(shownValue("gender", "female", { staff })).toBe(t.options.gender.female);
    expect(shownValue("staff_id", "3", { staff })).toBe("佐藤 健一");
    expect(shownValue("staff_id", "9", { staff })).toBe("9");
  });
});

describe("the catalog's field names", () => {
  it("take a customer column's name from Rust and keep the others", () => {
    expect(t.fields.family_name).toBe("姓");
    expect(t.fields.dm_opt_out).toBe("DM不要");
    expect(t.fields.labels).toBe("ラベル");
  });
});
