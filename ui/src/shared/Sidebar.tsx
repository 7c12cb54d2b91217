import type { CustomerQuery, Grade } from "./api";
import { useLedger } from "./ledger-context";
import { t } from "../i18n";

const GRADES: Grade[] = ["A", "B", "C", "D"];

/** Counts per status and quick filters; a click narrows the list. */
export function Sidebar({ query, onQuery, onDuplicates }: { query: CustomerQuery; onQuery: (q: CustomerQuery) => void; onDuplicates: () => void }) {
  const { stats, statuses, labels } = useLedger();
  const only = (patch: Partial<CustomerQuery>) =>
    onQuery({ ...query, status_ids: [], grades: [], label_ids: [], trashed: false, overdue_only: false, stale_only: false, completeness_below: null, ...patch });
  const isAll =
    !query.trashed && query.status_ids.length === 0 && query.grades.length === 0 && query.label_ids.length === 0 && !query.overdue_only && !query.stale_only && query.completeness_below === null;

  return (
    <aside className="sidebar" data-testid="sidebar">
      <button className={isAll ? "side-item active" : "side-item"} onClick={() => only({})}>
        <span>{t.sidebar.all}</span>
        <span className="count">{stats?.customers.toLocaleString("ja-JP") ?? ""}</span>
      </button>
      <h3>{t.sidebar.byStatus}</h3>
      {stats?.by_status
        .filter((s) => s.count > 0 || !statuses.find((st) => st.id === s.status_id)?.retired)
        .map((s) => {
          const status = statuses.find((st) => st.id === s.status_id);
          const active = query.status_ids.length === 1 && query.status_ids[0] === s.status_id;
          return (
            <button key={s.status_id} className={active ? "side-item active" : "side-item"} onClick={() => only({ status_ids: [s.status_id] })} data-testid={`side-status-${s.status_id}`}>
              <span className="dot" style={{ background: status?.color }} />
              <span className="side-name">{s.status}</span>
              <span className="count">{s.count.toLocaleString("ja-JP")}</span>
            </button>
          );
        })}
      <h3>{t.sidebar.grades}</h3>
      <div className="grade-row">
        {GRADES.map((g) => (
          <button key={g} className={query.grades.length === 1 && query.grades[0] === g ? "grade-chip active" : "grade-chip"} onClick={() => only({ grades: [g] })}>
            {g}
          </button>
        ))}
      </div>
      <h3>{t.sidebar.followUp}</h3>
      <button className={query.overdue_only ? "side-item active" : "side-item"} onClick={() => only({ overdue_only: true })} data-testid="side-overdue">
        <span>{t.sidebar.overdue}</span>
      </button>
      <button className={query.stale_only ? "side-item active" : "side-item"} onClick={() => only({ stale_only: true })} data-testid="side-stale">
        <span>{t.sidebar.stale}</span>
      </button>
      <button className={query.completeness_below !== null ? "side-item active" : "side-item"} onClick={() => only({ completeness_below: 50 })} data-testid="side-incomplete">
        <span>{t.sidebar.incomplete}</span>
      </button>
      <button className="side-item" onClick={onDuplicates} data-testid="side-duplicates">
        <span>{t.duplicates.sidebar}</span>
      </button>
      <h3>{t.sidebar.labels}</h3>
      {labels.map((l) => (
        <button key={l.id} className={query.label_ids.length === 1 && query.label_ids[0] === l.id ? "side-item active" : "side-item"} onClick={() => only({ label_ids: [l.id] })}>
          <span className="dot" style={{ background: l.color }} />
          <span className="side-name">{l.name}</span>
        </button>
      ))}
      <div className="spacer" />
      <button className={query.trashed ? "side-item active" : "side-item"} onClick={() => only({ trashed: true })} data-testid="side-trash">
        <span>{t.sidebar.trash}</span>
        <span className="count">{stats?.trashed ?? ""}</span>
      </button>
    </aside>
  );
}
