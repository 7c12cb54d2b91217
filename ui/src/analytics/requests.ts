// The after-care figures as the analytics tables lay them out: two counts
// side by side (category and cause, partner and house age), one row per
// place, the days to close, and the houses asked about more than once.
import type { NamedCount, RequestFigures } from "../shared/api";
import { t } from "../i18n";

const a = t.analytics;

export type RequestRow = { left: NamedCount | null; right: NamedCount | null };

/** Row i holds the i-th entry of each list (each most first, or in band order). */
export function sideBySide(left: NamedCount[], right: NamedCount[]): RequestRow[] {
  const length = Math.max(left.length, right.length);
  return Array.from({ length }, (_, i) => ({ left: left[i] ?? null, right: right[i] ?? null }));
}

/** The days to close, median and 90th percentile; a dash while nothing is closed. */
export function requestDays(figures: RequestFigures): string {
  const days = (n: number | null) => (n === null ? t.options.none : a.days(n));
  return a.requestDays(days(figures.median_days), days(figures.p90_days));
}

/** How many houses had more than one request, and which, most first. */
export function repeatHouses(figures: RequestFigures): { count: string; houses: string[] } {
  return {
    count: a.requestRepeats(figures.repeat_houses.length),
    houses: figures.repeat_houses.map((h) => a.requestRepeatHouse(h.customer_name, h.project_title, h.requests)),
  };
}
