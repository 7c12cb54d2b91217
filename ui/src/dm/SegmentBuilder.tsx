import type { Condition } from "../shared/api";
import { fullName } from "../shared/format";
import { ConditionEditor } from "./ConditionEditor";
import { CONDITION_KINDS, added, blankCondition, conditionsOf, everyone, fresh, opened, removeAt, replaceAt } from "./segment";
import type { Segments } from "./use-segments";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

const sideItem = (active: boolean) => (active ? "side-item active" : "side-item");

/** The saved segments and lists, and the buttons that start new ones. */
export function SegmentNav({ s }: { s: Segments }) {
  const { editing } = s;
  return (
    <nav className="settings-nav">
      <h2>{t.dm.segments}</h2>
      <button className={sideItem(editing.id === null && editing.filter.parts.length === 0)} onClick={() => s.setEditing(everyone())}>
        {t.dm.everyone}
      </button>
      {s.segments.map((segment) => (
        <button
          key={segment.id}
          className={sideItem(editing.id === segment.id)}
          onClick={() => s.setEditing(opened(segment))}
          data-testid={`segment-${segment.id}`}
        >
          {segment.name}
          {segment.kind === "static" && <span className="chip label-chip list-badge">{t.dm.listBadge}</span>}
        </button>
      ))}
      <button className="side-item" onClick={() => s.setEditing(fresh("dynamic"))} data-testid="segment-new">
        {t.dm.newSegment}
      </button>
      <button className="side-item" onClick={() => s.setEditing(fresh("static"))} data-testid="list-new">
        {t.dm.newList}
      </button>
    </nav>
  );
}

/** The segment being edited: its name, its conditions (or a list's members) and its live count. */
export function SegmentBuilder({ s }: { s: Segments }) {
  const { editing } = s;
  const dynamic = editing.kind === "dynamic";
  const saves = useLedger().may("segments");
  return (
    <section className="builder">
      <div className="add-row">
        <input data-testid="segment-name" placeholder={t.dm.name} value={editing.name} onChange={(e) => s.edit({ name: e.target.value })} />
        {dynamic && (
          <select
            value={editing.filter.all ? "all" : "any"}
            onChange={(e) => s.setFilter({ ...editing.filter, all: e.target.value === "all" })}
          >
            <option value="all">{t.dm.all}</option>
            <option value="any">{t.dm.any}</option>
          </select>
        )}
        {saves && (
          <button onClick={() => void s.save()} disabled={!editing.name.trim()} data-testid="segment-save">
            {!dynamic && editing.id === null ? t.dm.createList : t.dm.save}
          </button>
        )}
      </div>
      {!dynamic && <p className="muted">{t.dm.listHint}</p>}
      {dynamic && <Conditions s={s} />}
      {s.error && <p className="error">{s.error}</p>}
      {s.notice && <p className="ok">{s.notice}</p>}
      <Members s={s} />
    </section>
  );
}

function Conditions({ s }: { s: Segments }) {
  const { filter } = s.editing;
  const saves = useLedger().may("segments");
  return (
    <>
      {conditionsOf(filter).map((c, i) => (
        <div className="condition" key={i}>
          <select value={c.kind} onChange={(e) => s.setFilter(replaceAt(filter, i, blankCondition(e.target.value as Condition["kind"])))}>
            {CONDITION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.conditions[k]}
              </option>
            ))}
          </select>
          <ConditionEditor condition={c} onChange={(next) => s.setFilter(replaceAt(filter, i, next))} />
          <button className="ghost" onClick={() => s.setFilter(removeAt(filter, i))}>
            {t.dm.remove}
          </button>
        </div>
      ))}
      <button className="ghost" data-testid="condition-add" onClick={() => s.setFilter(added(filter))}>
        {t.dm.addCondition}
      </button>
      {saves && (
        <button className="ghost" data-testid="segment-snapshot" onClick={() => void s.snapshot()}>
          {t.dm.snapshot}
        </button>
      )}
    </>
  );
}

/** The live count and the first members; a list's members can be taken out. */
function Members({ s }: { s: Segments }) {
  const { preview } = s;
  return (
    <>
      <p className="count" data-testid="filter-count">
        {preview ? t.dm.count(preview.count) : t.app.loading}
      </p>
      {preview && preview.sample.length > 0 && (
        <details className="problems">
          <summary>{t.dm.members}</summary>
          <ul>
            {preview.sample.map((r) => (
              <li key={r.id}>
                {fullName(r)} <span className="muted">{r.address}</span>
                {s.editing.kind === "static" && (
                  <button className="ghost small" onClick={() => void s.removeMember(r.id)}>
                    {t.dm.removeMember}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
