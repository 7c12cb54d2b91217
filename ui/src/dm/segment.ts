// A segment as the builder edits it, and the pure steps of editing one: a
// condition added, replaced or removed, a saved segment opened. Static lists
// hold members rather than conditions, so their filter is "in this list".
import type { Condition, Group, Segment, SegmentKind } from "../shared/api";
import { t } from "../i18n";

export interface Editing {
  id: number | null;
  name: string;
  kind: SegmentKind;
  filter: Group;
}

/** Every condition kind, in the order the catalog names them. */
export const CONDITION_KINDS = Object.keys(t.conditions) as Condition["kind"][];

const group = (conditions: Condition[], all = true): Group => ({
  all,
  parts: conditions.map((condition) => ({ part: "condition", condition })),
});

/** The members of a static list, as a filter. */
export const inList = (segmentId: number): Group => group([{ kind: "in_list", segment_id: segmentId }]);

/** Nothing chosen: the whole ledger. */
export const everyone = (): Editing => ({ id: null, name: "", kind: "dynamic", filter: group([]) });

/** A new segment starts with one condition to fill in; a new list with none. */
export const fresh = (kind: SegmentKind): Editing => ({
  ...everyone(),
  kind,
  filter: group(kind === "dynamic" ? [blankCondition("status_in")] : []),
});

/** A saved segment or list, opened for editing. */
export const opened = (s: Segment): Editing => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  filter: s.kind === "static" ? inList(s.id) : s.filter,
});

/** What is saved: a list's members are kept apart from any filter. */
export const toSave = (e: Editing) => ({ id: e.id, name: e.name, kind: e.kind, filter: e.kind === "static" ? group([]) : e.filter });

export const conditionsOf = (filter: Group): Condition[] => filter.parts.flatMap((p) => (p.part === "condition" ? [p.condition] : []));

export const withConditions = (filter: Group, conditions: Condition[]): Group => group(conditions, filter.all);

export const replaceAt = (filter: Group, index: number, next: Condition): Group =>
  withConditions(
    filter,
    conditionsOf(filter).map((c, i) => (i === index ? next : c)),
  );

export const removeAt = (filter: Group, index: number): Group =>
  withConditions(
    filter,
    conditionsOf(filter).filter((_, i) => i !== index),
  );

export const added = (filter: Group): Group => ({
  ...filter,
  parts: [...filter.parts, { part: "condition", condition: blankCondition("status_in") }],
});

/** A new condition of a kind, with empty values. */
export function blankCondition(kind: Condition["kind"]): Condition {
  switch (kind) {
    case "status_in":
    case "staff_in":
      return { kind, ids: [] };
    case "stage_in":
      return { kind, stages: [] };
    case "grade_in":
      return { kind, grades: [] };
    case "label_has":
    case "label_has_not":
      return { kind, id: 0 };
    case "source_in":
      return { kind, sources: [] };
    case "prefecture_in":
    case "city_in":
      return { kind, names: [] };
    case "postal_prefix":
      return { kind, prefix: "" };
    case "created_between":
      return { kind, from: null, to: null };
    case "not_updated_for":
      return { kind, days: 30 };
    case "birthday_month":
      return { kind, month: new Date().getMonth() + 1 };
    case "has_email":
    case "has_usable_address":
      return { kind, yes: true };
    case "in_list":
      return { kind, segment_id: 0 };
    case "overdue":
    case "stale":
      return { kind, yes: true };
    case "next_action_within":
      return { kind, days: 7 };
    case "inspection_due_within":
      return { kind, days: 30 };
    case "handed_over_years_ago":
      return { kind, years: 1 };
    case "contribution_at_least":
      return { kind, contracts: 1 };
    case "campaign_in":
      return { kind, ids: [] };
    case "completeness_below":
      return { kind, percent: 50 };
  }
}
