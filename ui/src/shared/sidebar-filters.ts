// The sidebar's quick filters: each shows one slice of the ledger, so a
// click clears the others before applying its own.
import type { CustomerQuery } from "./api";

const noFilter = {
  status_ids: [],
  grades: [],
  label_ids: [],
  trashed: false,
  overdue_only: false,
  stale_only: false,
  completeness_below: null,
} satisfies Partial<CustomerQuery>;

/** The query showing only `patch`'s slice; the search text and order stay. */
export const only = (query: CustomerQuery, patch: Partial<CustomerQuery>): CustomerQuery => ({ ...query, ...noFilter, ...patch });

/** Whether no quick filter is on. */
export const showsAll = (query: CustomerQuery) =>
  !query.trashed &&
  query.status_ids.length === 0 &&
  query.grades.length === 0 &&
  query.label_ids.length === 0 &&
  !query.overdue_only &&
  !query.stale_only &&
  query.completeness_below === null;

/** Whether the list shows exactly this one value of a filter. */
export const isOnly = <T>(values: T[], value: T) => values.length === 1 && values[0] === value;
