import type { CustomerQuery } from "./api";

/** The whole ledger, in kana order: the list before any filter. */
export const emptyQuery: CustomerQuery = {
  text: "",
  status_ids: [],
  stages: [],
  grades: [],
  label_ids: [],
  staff_ids: [],
  trashed: false,
  completeness_below: null,
  stale_only: false,
  overdue_only: false,
  sort: "kana",
  descending: false,
  offset: 0,
  limit: 200,
};
