// The office's own warranty periods as Settings → アフター edits them: one
// per category, by the category's name (as the ledger keeps them).
import type { RequestSettings } from "../shared/api";

/** The office's period for `category`, in years, or null without one. */
export const yearsOf = (settings: RequestSettings, category: string): number | null =>
  settings.warranty_years.find((w) => w.category === category)?.years ?? null;

/** The settings with `category`'s period typed as `text`: a whole number of
 * years sets it, an empty field removes it. Other categories keep theirs, in
 * their order. Anything else is passed on for the ledger to refuse by name. */
export function withYears(settings: RequestSettings, category: string, text: string): RequestSettings {
  const typed = text.trim();
  const others = settings.warranty_years.filter((w) => w.category !== category);
  if (typed === "") return { ...settings, warranty_years: others };
  const years = Number(typed);
  const at = settings.warranty_years.findIndex((w) => w.category === category);
  const next = [...others];
  next.splice(at < 0 ? next.length : at, 0, { category, years: Number.isFinite(years) ? years : 0 });
  return { ...settings, warranty_years: next };
}
