import { describe, expect, it } from "vitest";
import type { Prepared } from "../shared/api";
import {
  DEFAULT_PRINT,
  STANDARD_COLUMNS,
  excludedSummary,
  exportRequest,
  initialChoices,
  isPrint,
  problemText,
  suggestedFile,
} from "./export";

describe("STANDARD_COLUMNS", () => {
  it("is the printers' usual layout under its usual headers", () => {
    expect(STANDARD_COLUMNS.map((c) => c.header)).toEqual(["郵便番号", "住所1", "住所2", "会社名", "部署", "氏名", "連名", "敬称"]);
    expect(STANDARD_COLUMNS[0].field).toBe("postal_code");
  });
});

describe("exportRequest", () => {
  const checks = { max_name_chars: 20, max_address_chars: 40, banned_words: [] };
  const filter = { all: true, parts: [] };

  it("names an unnamed selection 全顧客 and carries the office's choices", () => {
    const request = exportRequest("", filter, { ...initialChoices, maxJoint: 3, campaignId: 5 }, checks);
    expect(request.label).toBe("全顧客");
    expect(request.list).toEqual({ order: "postal_code", max_joint_names: 3 });
    expect(request.campaign_id).toBe(5);
    expect(request.checks).toBe(checks);
  });

  it("always carries the print options", () => {
    expect(exportRequest("", filter, initialChoices, checks).print).toBe(DEFAULT_PRINT);
    const print = { ...DEFAULT_PRINT, horizontal: true };
    expect(exportRequest("", filter, { ...initialChoices, format: "pdf_postcard", print }, checks).print).toBe(print);
  });

  it("keeps a segment's name", () => {
    expect(exportRequest("誕生月DM", filter, initialChoices, checks).label).toBe("誕生月DM");
  });
});

describe("suggestedFile", () => {
  it("prefers the campaign, then the segment, and follows the format", () => {
    expect(suggestedFile("秋の見学会", "誕生月DM", "csv_cp932")).toBe("DM_秋の見学会.csv");
    expect(suggestedFile("", "誕生月DM", "xlsx")).toBe("DM_誕生月DM.xlsx");
    expect(suggestedFile("", "", "csv_utf8")).toBe("DM_list.csv");
    expect(suggestedFile("", "年賀状", "pdf_postcard")).toBe("DM_年賀状.pdf");
    expect(suggestedFile("", "年賀状", "pdf_labels")).toBe("DM_年賀状.pdf");
    expect(isPrint("pdf_labels") && isPrint("pdf_postcard") && !isPrint("xlsx")).toBe(true);
  });
});

describe("how findings read", () => {
  it("says what a character becomes, with its code point", () => {
    const p = {
      row: 3,
      customer_id: 1,
      column: "氏名",
      value: "𠮷田 一郎",
      problem: { kind: "not_in_cp932", character: "𠮷", replacement: "吉" },
    } as const;
    expect(problemText(p)).toBe("「𠮷」（U+20BB7）は CP932 にないため「吉」で書き出します");
  });

  it("says what the print cannot show", () => {
    const at = { row: 1, customer_id: 1, column: "氏名", value: "𠮷田 一郎" };
    expect(problemText({ ...at, problem: { kind: "not_in_font", character: "𠮷" } })).toBe(
      "「𠮷」（U+20BB7）は印刷の書体になく、四角で印刷されます",
    );
    expect(problemText({ ...at, problem: { kind: "does_not_fit", percent: 60 } })).toBe(
      "枠に収まりません（60% まで縮めても入りきらず、はみ出します）",
    );
    expect(problemText({ ...at, problem: { kind: "no_barcode", reason: "番地がありません" } })).toBe(
      "バーコードなしで印刷します（番地がありません）",
    );
    expect(problemText({ ...at, problem: { kind: "addressing", reason: "会社あてに担当者名がありません" } })).toBe(
      "会社あてに担当者名がありません",
    );
  });

  it("counts the excluded per reason, in the order first met", () => {
    const person = (reason: string) => ({ customer_id: 1, name: "", reason }) as Prepared["excluded"][number];
    expect(excludedSummary([person("opt_out"), person("mail_returned"), person("opt_out")])).toBe("DM不要 2人・郵便返戻 1人");
    expect(excludedSummary([])).toBe("");
  });
});
