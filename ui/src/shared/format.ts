import type { CustomerRow, HistoryEntry, Status } from "./api";
import { t } from "../i18n";

export function fullName(row: { family_name: string; given_name: string }): string {
  return [row.family_name, row.given_name].filter(Boolean).join(" ");
}

export function fullKana(row: { family_kana: string; given_kana: string }): string {
  return [row.family_kana, row.given_kana].filter(Boolean).join(" ");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A local date as date inputs and the ledger write it: 2026-11-23. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A local time as datetime-local inputs write it: 2026-11-23T17:05. */
export function localDateTime(d: Date): string {
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A list typed with 、 or commas between the items. */
export function splitList(text: string): string[] {
  return text
    .split(/[、,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A stored UTC timestamp as the office reads it: 2026/11/23 17:05. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDate(iso: string): string {
  return formatDateTime(iso).slice(0, 10);
}

export function contactPhone(row: Pick<CustomerRow, "phone" | "mobile">): string {
  return row.mobile || row.phone;
}

/** How one history line reads: the field's Japanese name and its values. */
export function describeHistory(
  entry: HistoryEntry,
  statuses: Status[],
  labelOf: (field: string, value: string | null) => string,
): {
  title: string;
  from: string;
  to: string;
} {
  if (entry.kind === "status") {
    return { title: t.history.statusMove, from: entry.old_value ?? "", to: entry.new_value ?? "" };
  }
  if (entry.kind === "mailing") return { title: t.history.mailing, from: "", to: entry.new_value ?? "" };
  if (entry.kind === "contact") return { title: t.history.contact(entry.field), from: "", to: "" };
  if (entry.field === "created") return { title: t.history.created, from: "", to: "" };
  const title = t.fields[entry.field] ?? entry.field;
  if (entry.field === "status_id") {
    const name = (v: string | null) => statuses.find((s) => String(s.id) === v)?.name ?? v ?? "";
    return { title, from: name(entry.old_value), to: name(entry.new_value) };
  }
  return { title, from: labelOf(entry.field, entry.old_value), to: labelOf(entry.field, entry.new_value) };
}
