// How a stored customer value reads, for the history and the merge screen:
// codes named, flags as はい/いいえ, staff and statuses by name. Which fields
// are flags comes from Rust's column table (CUSTOMER_COLUMNS), not a copy.
import { CUSTOMER_COLUMNS, type Staff, type Status } from "./api";
import { t } from "../i18n";

const FLAGS: ReadonlySet<string> = new Set(CUSTOMER_COLUMNS.filter((c) => c.kind === "flag").map((c) => c.name));

const CODES: Record<string, Record<string, string>> = {
  gender: t.options.gender,
  build_timing: t.options.build_timing,
  land: t.options.land,
};

/** The value of a logged `field` as the office reads it. */
export function shownValue(field: string, value: string, names: { staff: Staff[]; statuses?: Status[] }): string {
  if (CODES[field]) return CODES[field][value] ?? value;
  if (field === "status_id") return names.statuses?.find((s) => String(s.id) === value)?.name ?? value;
  if (field === "staff_id") return names.staff.find((s) => String(s.id) === value)?.name ?? value;
  if (FLAGS.has(field)) return value === "1" ? t.options.yes : t.options.no;
  return value;
}
