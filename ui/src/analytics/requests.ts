// The after-care figures as the analytics table lays them out: categories
// and causes side by side, one row per place, and the days to close.
import type { NamedCount, RequestFigures } from "../shared/api";
import { t } from "../i18n";

const a = t.analytics;

export type RequestRow = { category: NamedCount | null; cause: NamedCount | null };

/** Row i holds the i-th category and the i-th cause (each list most first). */
export function requestRows(figures: RequestFigures): RequestRow[] {
  const length = Math.max(figures.by_category.length, figures.by_cause.length);
  return Array.from({ length }, (_, i) => ({ category: figures.by_category[i] ?? null, cause: figures.by_cause[i] ?? null }));
}

/** The days to close, median and 90th percentile; a dash while nothing is closed. */
export function requestDays(figures: RequestFigures): string {
  const days = (n: number | null) => (n === null ? t.options.none : a.days(n));
  return a.requestDays(days(figures.median_days), days(figures.p90_days));
}
