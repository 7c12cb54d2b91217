import type { Condition, Grade, Stage } from "../shared/api";
import { splitList } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

function NumberInput({
  value,
  min,
  max,
  unit,
  onChange,
}: {
  value: number;
  min: number;
  max?: number;
  unit: string;
  onChange: (v: number) => void;
}) {
  return (
    <span className="checks-inline">
      <input
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(Math.max(min, Math.min(max ?? Infinity, Number(e.target.value))))}
      />
      {unit}
    </span>
  );
}

function Checks<T extends string | number>({
  options,
  chosen,
  onChange,
}: {
  options: [T, string][];
  chosen: T[];
  onChange: (v: T[]) => void;
}) {
  return (
    <span className="checks-inline">
      {options.map(([value, label]) => (
        <label key={String(value)} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, value] : chosen.filter((c) => c !== value))}
          />
          {label}
        </label>
      ))}
    </span>
  );
}

/** The value editor of one condition. */
export function ConditionEditor({ condition, onChange }: { condition: Condition; onChange: (c: Condition) => void }) {
  return CHOICE_KINDS.has(condition.kind) ? (
    <ChoiceEditor condition={condition} onChange={onChange} />
  ) : (
    <ValueEditor condition={condition} onChange={onChange} />
  );
}

/** Conditions chosen from the ledger's own lists, or yes or no. */
const CHOICE_KINDS = new Set<Condition["kind"]>([
  "birthday_month",
  "campaign_in",
  "grade_in",
  "has_email",
  "has_usable_address",
  "in_list",
  "label_has",
  "label_has_not",
  "overdue",
  "staff_in",
  "stage_in",
  "stale",
  "status_in",
]);

function ChoiceEditor({ condition, onChange }: { condition: Condition; onChange: (c: Condition) => void }) {
  const { statuses, labels, staff, campaigns } = useLedger();
  const c = condition;
  switch (c.kind) {
    case "status_in":
      return (
        <Checks
          options={statuses.filter((s) => !s.retired).map((s) => [s.id, s.name])}
          chosen={c.ids}
          onChange={(ids) => onChange({ ...c, ids })}
        />
      );
    case "staff_in":
      return <Checks options={staff.map((s) => [s.id, s.name])} chosen={c.ids} onChange={(ids) => onChange({ ...c, ids })} />;
    case "stage_in":
      return (
        <Checks
          options={(Object.keys(t.stages) as Stage[]).map((s) => [s, t.stages[s]])}
          chosen={c.stages}
          onChange={(stages) => onChange({ ...c, stages })}
        />
      );
    case "grade_in":
      return (
        <Checks
          options={(["A", "B", "C", "D"] as Grade[]).map((g) => [g, g])}
          chosen={c.grades}
          onChange={(grades) => onChange({ ...c, grades })}
        />
      );
    case "label_has":
    case "label_has_not":
      return (
        <select value={c.id} onChange={(e) => onChange({ ...c, id: Number(e.target.value) })}>
          <option value={0}>—</option>
          {labels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      );
    case "birthday_month":
      return (
        <select value={c.month} onChange={(e) => onChange({ ...c, month: Number(e.target.value) })}>
          {Array.from({ length: 12 }, (_, i) => (
            <option key={i + 1} value={i + 1}>
              {i + 1}
              {t.dm.month}
            </option>
          ))}
        </select>
      );
    case "campaign_in":
      return <Checks options={campaigns.map((x) => [x.id, x.name])} chosen={c.ids} onChange={(ids) => onChange({ ...c, ids })} />;
    case "overdue":
    case "stale":
    case "has_email":
    case "has_usable_address":
      return (
        <select value={c.yes ? "yes" : "no"} onChange={(e) => onChange({ ...c, yes: e.target.value === "yes" })}>
          <option value="yes">{t.dm.yes}</option>
          <option value="no">{t.dm.no}</option>
        </select>
      );
    case "in_list":
      return null;
    default:
      return null;
  }
}

/** Conditions with a typed value: names, a prefix, dates, a number. */
function ValueEditor({ condition, onChange }: { condition: Condition; onChange: (c: Condition) => void }) {
  const c = condition;
  switch (c.kind) {
    case "source_in":
      return (
        <input
          placeholder={t.dm.commaHint}
          defaultValue={c.sources.join(t.app.listSeparator)}
          onBlur={(e) => onChange({ ...c, sources: splitList(e.target.value) })}
        />
      );
    case "prefecture_in":
    case "city_in":
      return (
        <input
          placeholder={t.dm.commaHint}
          defaultValue={c.names.join(t.app.listSeparator)}
          onBlur={(e) => onChange({ ...c, names: splitList(e.target.value) })}
        />
      );
    case "postal_prefix":
      return <input placeholder={t.dm.postalPrefixExample} value={c.prefix} onChange={(e) => onChange({ ...c, prefix: e.target.value })} />;
    case "created_between":
      return (
        <span className="checks-inline">
          <input type="date" value={c.from ?? ""} onChange={(e) => onChange({ ...c, from: e.target.value || null })} />
          {t.dm.between}
          <input type="date" value={c.to ?? ""} onChange={(e) => onChange({ ...c, to: e.target.value || null })} />
        </span>
      );
    case "not_updated_for":
      return <NumberInput value={c.days} min={1} unit={t.dm.days} onChange={(days) => onChange({ ...c, days })} />;
    case "next_action_within":
    case "inspection_due_within":
      return <NumberInput value={c.days} min={0} unit={t.dm.days} onChange={(days) => onChange({ ...c, days })} />;
    case "handed_over_years_ago":
      return <NumberInput value={c.years} min={0} unit={t.dm.yearsAgo} onChange={(years) => onChange({ ...c, years })} />;
    case "contribution_at_least":
      return (
        <NumberInput value={c.contracts} min={1} unit={t.dm.contractsOrMore} onChange={(contracts) => onChange({ ...c, contracts })} />
      );
    case "completeness_below":
      return <NumberInput value={c.percent} min={1} max={100} unit={t.dm.percent} onChange={(percent) => onChange({ ...c, percent })} />;
    default:
      return null;
  }
}
