import type { CustomerBrief, MergeField, MergePlan, Pick, Staff, Status } from "../shared/api";
import { formatDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { useDuplicates, type Duplicates } from "./use-duplicates";
import { t } from "../i18n";
import { shownValue } from "../shared/fields";

/** 重複の候補: pairs that look like one person typed twice, each with why,
 *  a side-by-side merge, and the merges that can still be undone. */
export function DuplicatesScreen({ onOpen }: { onOpen: (customerId: number) => void }) {
  const d = useDuplicates();
  const editable = useLedger().may("customers");
  return (
    <div className="screen duplicates" style={{ overflow: "auto", padding: "16px 20px" }} data-testid="duplicates-screen">
      <h2>{t.duplicates.title}</h2>
      <p className="muted small">{t.duplicates.hint}</p>
      {!editable && <NotPermitted need="customers" />}
      {d.error && <p className="error">{d.error}</p>}
      {d.done && <Merged d={d} />}
      {d.plan ? <MergeDialog d={d} plan={d.plan} /> : <Pairs d={d} onOpen={onOpen} editable={editable} />}
      <RecentMerges d={d} editable={editable} />
    </div>
  );
}

function Merged({ d }: { d: Duplicates }) {
  const m = d.done!;
  return (
    <div className="banner ok" data-testid="merge-done">
      {t.duplicates.merged(m.merged_name, m.merged_id, m.kept_id)}{" "}
      <button onClick={() => void d.undo(m.id)} disabled={d.busy} data-testid="merge-undo-now">
        {t.duplicates.undo}
      </button>
    </div>
  );
}

function Side({ c, onOpen }: { c: CustomerBrief; onOpen: (id: number) => void }) {
  return (
    <div className="duplicate-side" style={{ flex: 1 }}>
      <button className="link" onClick={() => onOpen(c.id)}>
        <strong>{c.name}</strong>
      </button>{" "}
      <span className="muted small">{t.duplicates.idAndStatus(c.id, c.status)}</span>
      <div className="small">{c.kana}</div>
      <div className="small">{[c.phone, c.mobile].filter(Boolean).join(" / ")}</div>
      <div className="small">{c.address}</div>
      <div className="small">{c.email}</div>
      <div className="muted small">{t.duplicates.updated(formatDateTime(c.updated_at))}</div>
    </div>
  );
}

function Pairs({ d, onOpen, editable }: { d: Duplicates; onOpen: (id: number) => void; editable: boolean }) {
  if (!d.pairs) return <p className="muted">{t.app.loading}</p>;
  if (d.pairs.length === 0)
    return (
      <p className="muted" data-testid="duplicates-empty">
        {t.duplicates.empty}
      </p>
    );
  return (
    <>
      <p data-testid="duplicates-count">{t.duplicates.count(d.pairs.length)}</p>
      <ul className="duplicate-pairs" style={{ listStyle: "none", padding: 0, display: "grid", gap: 8 }}>
        {d.pairs.map((pair) => (
          <li key={`${pair.a.id}-${pair.b.id}`} className="card" data-testid={`pair-${pair.a.id}-${pair.b.id}`}>
            <div className="duplicate-reasons">
              {pair.reasons.map((r) => (
                <span key={r} className="chip" style={{ background: "#fef3c7" }}>
                  {t.duplicates.reasons[r]}
                </span>
              ))}
            </div>
            <div className="duplicate-row" style={{ display: "flex", gap: 24, margin: "6px 0" }}>
              <Side c={pair.a} onOpen={onOpen} />
              <Side c={pair.b} onOpen={onOpen} />
            </div>
            {editable && (
              <>
                <button
                  onClick={() => void d.openMerge(pair.a.id, pair.b.id)}
                  disabled={d.busy}
                  data-testid={`merge-open-${pair.a.id}-${pair.b.id}`}
                >
                  {t.duplicates.open}
                </button>{" "}
                <button onClick={() => void d.markDistinct(pair)} disabled={d.busy} data-testid={`distinct-${pair.a.id}-${pair.b.id}`}>
                  {t.duplicates.distinct}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A stored value as the office reads it (codes and ids by their names). */
function valueLabel(field: string, value: string, statuses: Status[], staff: Staff[]): string {
  return value === "" ? t.options.none : shownValue(field, value, { staff, statuses });
}

/** The fields where the two differ, in the form's order. */
function inFormOrder(fields: MergeField[]): MergeField[] {
  const order = Object.keys(t.fields);
  const at = (f: MergeField) => (order.includes(f.field) ? order.indexOf(f.field) : order.length);
  return [...fields].sort((a, b) => at(a) - at(b));
}

function MergeDialog({ d, plan }: { d: Duplicates; plan: MergePlan }) {
  const { statuses, staff } = useLedger();
  const label = (f: string, v: string) => valueLabel(f, v, statuses, staff);
  const name = (c: MergePlan["kept"]) => `${c.fields.family_name} ${c.fields.given_name}`.trim();
  const radio = (field: string, pick: Pick, text: string) => (
    <label className="merge-choice">
      <input
        type="radio"
        name={`pick-${field}`}
        checked={d.pickOf(field) === pick}
        onChange={() => d.choose(field, pick)}
        data-testid={`pick-${field}-${pick}`}
      />
      <span style={{ whiteSpace: "pre-wrap" }}>{text}</span>
    </label>
  );
  const moving = plan.moving.filter((m) => m.count > 0);
  return (
    <section className="card merge-dialog" role="dialog" aria-label={t.duplicates.dialogTitle} data-testid="merge-dialog">
      <h3>{t.duplicates.dialogTitle}</h3>
      <p className="small">{t.duplicates.dialogHint}</p>
      <table className="merge-table">
        <thead>
          <tr>
            <th>{t.duplicates.field}</th>
            <th>{t.duplicates.side(t.duplicates.kept, plan.kept.id, name(plan.kept))}</th>
            <th>{t.duplicates.side(t.duplicates.other, plan.other.id, name(plan.other))}</th>
          </tr>
        </thead>
        <tbody>
          {inFormOrder(plan.fields).map((f) => (
            <tr key={f.field} data-testid={`merge-field-${f.field}`}>
              <th>{t.fields[f.field] ?? f.field}</th>
              <td>{radio(f.field, "kept", label(f.field, f.kept))}</td>
              <td>
                {radio(f.field, "other", label(f.field, f.other))}
                {f.field === "notes" && radio(f.field, "both", t.duplicates.both)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.fields.length === 0 && <p className="muted small">{t.duplicates.sameFields}</p>}
      <p className="small" data-testid="merge-moving">
        {moving.length === 0
          ? t.duplicates.nothingMoves
          : t.duplicates.moves(
              moving.map((m) => t.duplicates.tables[m.table]?.(m.count) ?? `${m.table} ${m.count}`).join(t.app.listSeparator),
            )}
      </p>
      <p className="muted small">{t.duplicates.undoable}</p>
      <button className="primary" onClick={() => void d.merge()} disabled={d.busy} data-testid="merge-confirm">
        {t.duplicates.confirm}
      </button>{" "}
      <button onClick={d.swap} disabled={d.busy} data-testid="merge-swap">
        {t.duplicates.swap}
      </button>{" "}
      <button onClick={d.cancel} disabled={d.busy}>
        {t.duplicates.cancel}
      </button>
    </section>
  );
}

function RecentMerges({ d, editable }: { d: Duplicates; editable: boolean }) {
  if (d.merges.length === 0) return null;
  return (
    <section className="recent-merges">
      <h3>{t.duplicates.history}</h3>
      <ul data-testid="merge-history">
        {d.merges.map((m) => (
          <li key={m.id}>
            {formatDateTime(m.merged_at)} {t.duplicates.merged(m.merged_name, m.merged_id, m.kept_id)}{" "}
            {m.staff_name && <span className="muted small">{m.staff_name}</span>}{" "}
            {m.undone_at ? (
              <span className="muted small">{t.duplicates.undone}</span>
            ) : (
              editable && (
                <button className="small-button" onClick={() => void d.undo(m.id)} disabled={d.busy} data-testid={`merge-undo-${m.id}`}>
                  {t.duplicates.undo}
                </button>
              )
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
