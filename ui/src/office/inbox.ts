// The inbox's rules: which conflicts need a person's decision (cards) and
// which are only told (the sticky DM stop kept on), what a card offers,
// and how its values and times read.
import type { ConflictCard, Side, Staff, Status } from "../shared/api";
import { shownValue } from "../shared/fields";
import { t } from "../i18n";

const i = t.office.inbox;

/** What a card asks: choose a value (a customer's field), or only to be
 *  read (a change the hub refused, a record other than a customer's). */
export type CardKind = "choose" | "rejected" | "other";

export function cardKind(card: ConflictCard): CardKind {
  if (card.kept === "rejected") return "rejected";
  return card.table === "customers" && card.customer_id !== null ? "choose" : "other";
}

/** The cards that need a decision, and the one-line notices (a sticky
 *  field such as a DM stop is never undone by sync: nothing to decide). */
export function sortCards(cards: ConflictCard[]): { cards: ConflictCard[]; notices: ConflictCard[] } {
  return { cards: cards.filter((c) => c.kept !== "sticky"), notices: cards.filter((c) => c.kept === "sticky") };
}

/** The count on the navigation: the cards waiting for a decision. */
export const inboxCount = (cards: ConflictCard[]) => sortCards(cards).cards.length;

/** A stored time (2026-11-23 17:05:09) as the office reads it: 2026/11/23 17:05. */
export function formatStamp(at: string | null): string {
  if (!at) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(at);
  return m ? `${m[1]}/${m[2]}/${m[3]} ${m[4]}:${m[5]}` : at;
}

/** A card's value as the form shows it (codes named, flags はい/いいえ, staff
 *  and statuses by name); an empty value says so. */
export function valueText(card: ConflictCard, value: string | null, names: { staff: Staff[]; statuses: Status[] }): string {
  if (value === null || value === "") return i.blank;
  return card.table === "customers" ? shownValue(card.field, value, names) : value;
}

/** Who wrote one side, on which PC, when: 佐藤・事務所PCで・2026/11/23 17:05. */
export const sideWho = (side: Side) => i.who(side.staff, side.pc, formatStamp(side.at) || null);
