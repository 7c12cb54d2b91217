import { describe, expect, it } from "vitest";
import type { ConflictCard } from "../shared/api";
import { cardKind, formatStamp, inboxCount, sideWho, sortCards, valueText } from "./inbox";

const side = (value: string | null, staff: string | null = "佐藤", pc: string | null = "受付PC") => ({
  value,
  staff,
  pc,
  at: "2026-11-23 17:05:09",
});

function card(patch: Partial<ConflictCard>): ConflictCard {
  return {
    id: 1,
    at: "2026-11-23 17:06:00",
    customer_id: 7,
    customer_name: "山田 太郎",
    table: "customers",
    field: "phone",
    field_label: "電話番号",
    base: "03-1111-1111",
    a: side("03-2222-2222"),
    b: side("03-3333-3333", "鈴木", "営業PC"),
    now: "03-3333-3333",
    kept: "b",
    ...patch,
  };
}

const names = { staff: [{ id: 3, name: "鈴木", kana: "スズキ", active: true, role: "sales" as const, has_pin: false }], statuses: [] };

describe("the inbox", () => {
  it("makes cards of decisions and notices of sticky fields", () => {
    const cards = [
      card({ id: 1 }),
      card({ id: 2, kept: "sticky", field: "dm_opt_out" }),
      card({ id: 3, kept: "both" }),
      card({ id: 4, kept: "rejected" }),
    ];
    const sorted = sortCards(cards);
    expect(sorted.cards.map((c) => c.id)).toEqual([1, 3, 4]);
    expect(sorted.notices.map((c) => c.id)).toEqual([2]);
    expect(inboxCount(cards)).toBe(3);
  });

  it("offers a choice only for a customer's field the hub took", () => {
    expect(cardKind(card({}))).toBe("choose");
    expect(cardKind(card({ kept: "both", field: "notes" }))).toBe("choose");
    expect(cardKind(card({ kept: "rejected" }))).toBe("rejected");
    expect(cardKind(card({ table: "labels", customer_id: null }))).toBe("other");
  });

  it("reads values as the form does", () => {
    expect(valueText(card({}), null, names)).toBe("（空欄）");
    expect(valueText(card({}), "", names)).toBe("（空欄）");
    expect(valueText(card({ field: "staff_id" }), "3", names)).toBe("鈴木");
    expect(valueText(card({ field: "dm_opt_out" }), "1", names)).toBe("はい");
    expect(valueText(card({ table: "labels", field: "name" }), "1", names)).toBe("1");
  });

  it("says who wrote a side, where and when", () => {
    expect(formatStamp("2026-11-23 17:05:09")).toBe("2026/11/23 17:05");
    expect(formatStamp(null)).toBe("");
    expect(sideWho(side("x"))).toBe("佐藤・受付PCで・2026/11/23 17:05");
    expect(sideWho({ value: "x", staff: null, pc: null, at: null })).toBe("（担当者なし）");
  });
});
