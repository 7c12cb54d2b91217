import { describe, expect, it } from "vitest";
import { describeHistory, fullKana, fullName } from "./format";
import type { HistoryEntry, Status } from "./api";

const statuses = [
  { id: 1, name: "見学会からの新規引合い" },
  { id: 4, name: "商談中" },
] as Status[];

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  at: "2026-11-23T08:00:00.000Z",
  staff_name: null,
  source: "user",
  kind: "field",
  field: "phone",
  old_value: "",
  new_value: "03-1234-5678",
  note: "",
  ...over,
});

describe("format", () => {
  it("joins names and kana with one space, skipping empty parts", () => {
    expect(fullName({ family_name: "山田", given_name: "太郎" })).toBe("山田 太郎");
    expect(fullName({ family_name: "株式会社山田工務店", given_name: "" })).toBe("株式会社山田工務店");
    expect(fullKana({ family_kana: "ヤマダ", given_kana: "" })).toBe("ヤマダ");
  });

  it("names fields in Japanese and statuses by name", () => {
    const same = (_f: string, v: string | null) => v ?? "";
    expect(describeHistory(entry({}), statuses, same)).toEqual({ title: "電話番号", from: "", to: "03-1234-5678" });
    expect(describeHistory(entry({ field: "status_id", old_value: "1", new_value: "4" }), statuses, same)).toEqual({
      title: "ステータス",
      from: "見学会からの新規引合い",
      to: "商談中",
    });
    expect(describeHistory(entry({ kind: "status", old_value: "A", new_value: "B" }), statuses, same).title).toBe("ステータス変更");
    expect(describeHistory(entry({ kind: "mailing", field: "mailing", old_value: null, new_value: "DM_秋.xlsx" }), statuses, same)).toEqual(
      { title: "DM送付", from: "", to: "DM_秋.xlsx" },
    );
    expect(describeHistory(entry({ field: "created", old_value: null, new_value: '{"family_name":"山田"}' }), statuses, same)).toEqual({
      title: "登録",
      from: "",
      to: "",
    });
  });
});
