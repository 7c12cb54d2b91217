import type { CustomerQuery, Grade } from "./api";
import { useLedger } from "./ledger-context";
import { isOnly, only, showsAll } from "./sidebar-filters";
import { t } from "../i18n";

const GRADES: Grade[] = ["A", "B", "C", "D"];
const sideItem = (active: boolean) => (active ? "side-item active" : "side-item");

type Props = { query: CustomerQuery; onQuery: (q: CustomerQuery) => void };

/** Counts per status and quick filters; a click narrows the list. */
export function Sidebar({ query, onQuery, onDuplicates }: Props & { onDuplicates: () => void }) {
  const { stats, labels } = useLedger();
  const show = (patch: Partial<CustomerQuery>) => onQuery(only(query, patch));
  return (
    <aside className="sidebar" data-testid="sidebar">
      <button className={sideItem(showsAll(query))} onClick={() => show({})}>
        <span>{t.sidebar.all}</span>
        <span className="count">{stats?.customers.toLocaleString("ja-JP") ?? ""}</span>
      </button>
      <h3>{t.sidebar.byStatus}</h3>
      <StatusFilters query={query} onQuery={onQuery} />
      <h3>{t.sidebar.grades}</h3>
      <div className="grade-row">
        {GRADES.map((g) => (
          <button key={g} className={isOnly(query.grades, g) ? "grade-chip active" : "grade-chip"} onClick={() => show({ grades: [g] })}>
            {g}
          </button>
        ))}
      </div>
      <h3>{t.sidebar.followUp}</h3>
      <FollowUpFilters query={query} onQuery={onQuery} />
      <button className="side-item" onClick={onDuplicates} data-testid="side-duplicates">
        <span>{t.duplicates.sidebar}</span>
      </button>
      <h3>{t.sidebar.labels}</h3>
      {labels.map((l) => (
        <button key={l.id} className={sideItem(isOnly(query.label_ids, l.id))} onClick={() => show({ label_ids: [l.id] })}>
          <span className="dot" style={{ background: l.color }} />
          <span className="side-name">{l.name}</span>
        </button>
      ))}
      <div className="spacer" />
      <button className={sideItem(query.trashed)} onClick={() => show({ trashed: true })} data-testid="side-trash">
        <span>{t.sidebar.trash}</span>
        <span className="count">{stats?.trashed ?? ""}</span>
      </button>
    </aside>
  );
}

/** Each status with its count; a retired status shows while anyone still has it. */
function StatusFilters({ query, onQuery }: Props) {
  const { stats, statuses } = useLedger();
  const statusOf = (id: number) => statuses.find((st) => st.id === id);
  return stats?.by_status
    .filter((s) => s.count > 0 || !statusOf(s.status_id)?.retired)
    .map((s) => (
      <button
        key={s.status_id}
        className={sideItem(isOnly(query.status_ids, s.status_id))}
        onClick={() => onQuery(only(query, { status_ids: [s.status_id] }))}
        data-testid={`side-status-${s.status_id}`}
      >
        <span className="dot" style={{ background: statusOf(s.status_id)?.color }} />
        <span className="side-name">{s.status}</span>
        <span className="count">{s.count.toLocaleString("ja-JP")}</span>
      </button>
    ));
}

function FollowUpFilters({ query, onQuery }: Props) {
  const filters = [
    ["side-overdue", t.sidebar.overdue, query.overdue_only, { overdue_only: true }],
    ["side-stale", t.sidebar.stale, query.stale_only, { stale_only: true }],
    ["side-incomplete", t.sidebar.incomplete, query.completeness_below !== null, { completeness_below: 50 }],
  ] as const;
  return filters.map(([testId, label, active, patch]) => (
    <button key={testId} className={sideItem(active)} onClick={() => onQuery(only(query, patch))} data-testid={testId}>
      <span>{label}</span>
    </button>
  ));
}
