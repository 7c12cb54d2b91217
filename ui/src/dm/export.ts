// The DM list's pure parts: the printers' usual columns, the request sent to
// Rust, and how a check's finding and the excluded people read.
import {
  DM_DEFAULT_COLUMNS,
  PRINT_DEFAULTS,
  PRINT_FORMATS,
  type CheckOptions,
  type Column,
  type ExportRequest,
  type FileFormat,
  type Group,
  type Order,
  type Prepared,
  type PrintOptions,
  type Sheet,
} from "../shared/api";
import { t } from "../i18n";

/** The printers' usual layout: Rust's `daicho_mailing::default_columns()`. */
export const STANDARD_COLUMNS: Column[] = DM_DEFAULT_COLUMNS.map((c) => ({ ...c }));

export const EXTENSION: Record<FileFormat, string> = {
  xlsx: "xlsx",
  csv_cp932: "csv",
  csv_utf8: "csv",
  pdf_labels: "pdf",
  pdf_postcard: "pdf",
};

/** The formats printed in the office from a PDF, with a sheet and a sender. */
export function isPrint(format: FileFormat): boolean {
  return (PRINT_FORMATS as readonly FileFormat[]).includes(format);
}

/** The print options before the office's saved ones have loaded: Rust's `PrintOptions::default()`. */
export const DEFAULT_PRINT: PrintOptions = PRINT_DEFAULTS;

/** The sheet a label print uses: a built-in one by name, or the office's own. */
export function chosenSheet(print: PrintOptions, sheets: Sheet[]): Sheet {
  return sheets.find((s) => s.name === print.sheet) ?? print.custom;
}

/** What the office chose in the export panel. */
export interface ExportChoices {
  format: FileFormat;
  order: Order;
  maxJoint: number;
  campaign: string;
  campaignId: number | null;
  columns: Column[];
  print: PrintOptions;
}

export const initialChoices: ExportChoices = {
  format: "xlsx",
  order: "postal_code",
  maxJoint: 2,
  campaign: "",
  campaignId: null,
  columns: STANDARD_COLUMNS,
  print: DEFAULT_PRINT,
};

export function exportRequest(segmentName: string, filter: Group, choices: ExportChoices, checks: CheckOptions): ExportRequest {
  return {
    label: segmentName || t.dm.everyone,
    filter,
    columns: choices.columns,
    list: { order: choices.order, max_joint_names: choices.maxJoint },
    checks,
    format: choices.format,
    campaign: choices.campaign,
    campaign_id: choices.campaignId,
    print: choices.print,
  };
}

/** The save dialog's first suggestion: DM_<campaign or segment>.<extension>. */
export function suggestedFile(campaign: string, segmentName: string, format: FileFormat): string {
  return `DM_${campaign || segmentName || "list"}.${EXTENSION[format]}`;
}

type Problem = Prepared["problems"][number];

export function problemText(p: Problem): string {
  switch (p.problem.kind) {
    case "not_in_cp932":
      return t.dm.notInCp932(p.problem.character, p.problem.replacement);
    case "too_long":
      return t.dm.tooLong(p.problem.length, p.problem.limit);
    case "banned_word":
      return t.dm.banned(p.problem.word);
    case "postal_mismatch":
      return t.dm.postalMismatch(p.problem.expected);
    case "not_in_font":
      return t.dm.notInFont(p.problem.character);
    case "does_not_fit":
      return t.dm.doesNotFit(p.problem.percent);
    case "no_barcode":
      return t.dm.noBarcode(p.problem.reason);
    case "addressing":
      return p.problem.reason;
  }
}

/** How many were left out for each reason, in the order first met: 「DM不要 13人・郵便返戻 2人」. */
export function excludedSummary(excluded: Prepared["excluded"]): string {
  const counts = new Map<string, number>();
  for (const p of excluded) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => t.dm.excludedCount(t.dm.reasons[reason], n)).join(t.dm.excludedSeparator);
}
