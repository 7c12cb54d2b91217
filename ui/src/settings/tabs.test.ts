import { describe, expect, it } from "vitest";
import type { AccessRule, Need } from "../shared/api";
import { hiddenTabNotes, visibleTabs } from "./tabs";

const RULES: AccessRule[] = [
  { need: "settings", action: "設定の変更", roles: ["admin"] },
  { need: "segments", action: "セグメント・リストの保存", roles: ["admin", "sales", "office"] },
  { need: "backup", action: "バックアップの書き出しと復元", roles: ["admin"] },
];
const sales: Need[] = ["customers", "requests", "segments", "export"];
const mayOf = (needs: Need[]) => (n: Need) => needs.includes(n);

describe("settings tabs by role", () => {
  it("shows a 管理者 every tab", () => {
    const all: Need[] = ["settings", "staff", "segments", "backup"];
    expect(visibleTabs(mayOf(all))).toEqual([
      "statuses",
      "labels",
      "staff",
      "access",
      "followUp",
      "campaigns",
      "afterCare",
      "general",
      "office",
      "backups",
      "exports",
    ]);
    expect(hiddenTabNotes(RULES, mayOf(all))).toEqual([]);
  });

  it("hides what 営業 cannot change and says who can, once per right", () => {
    expect(visibleTabs(mayOf(sales))).toEqual(["staff", "access", "campaigns", "exports"]);
    expect(hiddenTabNotes(RULES, mayOf(sales))).toEqual([
      "設定の変更（ステータス・ラベル・フォロー・アフター・全般・複数台で使う）は管理者ができます。",
      "バックアップの書き出しと復元（バックアップ）は管理者ができます。",
    ]);
  });

  it("leaves 閲覧のみ the tabs everyone reads", () => {
    expect(visibleTabs(mayOf([]))).toEqual(["staff", "access", "exports"]);
    expect(hiddenTabNotes(RULES, mayOf([]))).toContain("セグメント・リストの保存（キャンペーン）は管理者・営業・事務ができます。");
  });
});
