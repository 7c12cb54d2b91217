// The customer list's columns: which exist, their widths, the defaults, and
// the office's choice kept in localStorage.
import { t } from "../i18n";

export type ColumnKey = keyof typeof t.columns;

export const ALL_COLUMNS: ColumnKey[] = [
  "name",
  "kana",
  "status",
  "grade",
  "labels",
  "postal",
  "address",
  "phone",
  "email",
  "staff",
  "lastContact",
  "completeness",
  "updated",
];
export const DEFAULT_COLUMNS: ColumnKey[] = [
  "name",
  "kana",
  "status",
  "grade",
  "labels",
  "address",
  "phone",
  "lastContact",
  "completeness",
  "updated",
];

const WIDTHS: Record<ColumnKey, string> = {
  name: "minmax(120px, 1.1fr)",
  kana: "minmax(110px, 1fr)",
  status: "minmax(170px, 1.3fr)",
  grade: "56px",
  labels: "minmax(100px, 1fr)",
  postal: "90px",
  address: "minmax(180px, 2fr)",
  phone: "130px",
  mobile: "130px",
  email: "minmax(140px, 1.2fr)",
  staff: "100px",
  updated: "96px",
  completeness: "70px",
  lastContact: "96px",
};

const COLUMNS_KEY = "daicho.columns";

/** The grid template of the chosen columns. */
export const gridTemplate = (columns: ColumnKey[]) => columns.map((c) => WIDTHS[c]).join(" ");

/** The columns with `column` shown or hidden; shown columns keep the list's own order. */
export function toggled(columns: ColumnKey[], column: ColumnKey, shown: boolean): ColumnKey[] {
  return shown ? ALL_COLUMNS.filter((x) => x === column || columns.includes(x)) : columns.filter((x) => x !== column);
}

export function loadColumns(storage: Pick<Storage, "getItem"> = localStorage): ColumnKey[] {
  try {
    const saved = JSON.parse(storage.getItem(COLUMNS_KEY) ?? "null");
    if (Array.isArray(saved) && saved.every((c) => ALL_COLUMNS.includes(c))) return saved;
  } catch {
    /* a broken saved value falls back to the defaults */
  }
  return DEFAULT_COLUMNS;
}

export function storeColumns(columns: ColumnKey[], storage: Pick<Storage, "setItem"> = localStorage) {
  storage.setItem(COLUMNS_KEY, JSON.stringify(columns));
}
