import { useCallback, useEffect, useRef, useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, messageOf, type CheckOptions, type Column, type Condition, type DmField, type ExportOutcome, type ExportRequest, type FileFormat, type FilterPreview, type Group, type Mailing, type Order, type Prepared, type Segment, type SegmentKind } from "../shared/api";
import { formatDateTime, fullName } from "../shared/format";
import { ConditionEditor, blankCondition } from "./ConditionEditor";
import { ChecksEditor, ColumnsEditor } from "./ColumnsEditor";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

const DEFAULT_COLUMNS: { field: DmField; header: string }[] = [
  { field: "postal_code", header: "郵便番号" },
  { field: "address1", header: "住所1" },
  { field: "address2", header: "住所2" },
  { field: "company", header: "会社名" },
  { field: "department", header: "部署" },
  { field: "name", header: "氏名" },
  { field: "joint_names", header: "連名" },
  { field: "honorific", header: "敬称" },
];
const KINDS = Object.keys(t.conditions) as Condition["kind"][];
const inList = (segmentId: number): Group => ({ all: true, parts: [{ part: "condition", condition: { kind: "in_list", segment_id: segmentId } }] });
const EXTENSION: Record<FileFormat, string> = { xlsx: "xlsx", csv_cp932: "csv", csv_utf8: "csv" };

/** Segments (built, counted live, saved) and the DM list that leaves the office. */
export function DmScreen() {
  const { campaigns } = useLedger();
  const [segments, setSegments] = useState<Segment[]>([]);
  const [editing, setEditing] = useState<{ id: number | null; name: string; kind: SegmentKind; filter: Group }>({ id: null, name: "", kind: "dynamic", filter: { all: true, parts: [] } });
  const [preview, setPreview] = useState<FilterPreview | null>(null);
  const [format, setFormat] = useState<FileFormat>("xlsx");
  const [order, setOrder] = useState<Order>("postal_code");
  const [maxJoint, setMaxJoint] = useState(2);
  const [campaign, setCampaign] = useState("");
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [columns, setColumns] = useState<Column[]>(DEFAULT_COLUMNS);
  const [checks, setChecks] = useState<CheckOptions | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [approved, setApproved] = useState(false);
  const [dest, setDest] = useState("");
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [mailings, setMailings] = useState<Mailing[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => void call(commands.getCheckOptions()).then(setChecks, () => undefined), []);

  const load = useCallback(async () => {
    setSegments(await call(commands.listSegments()));
    setMailings(await call(commands.listMailings()));
  }, []);
  useEffect(() => void load().catch((e) => setError(messageOf(e, t.errors.unexpected))), [load]);

  // The live count follows every edit of the filter, a moment after it.
  useEffect(() => {
    window.clearTimeout(timer.current);
    setPreview(null);
    timer.current = window.setTimeout(() => {
      call(commands.previewFilter(editing.filter)).then(setPreview, (e) => setError(messageOf(e, t.errors.unexpected)));
    }, 250);
    setPrepared(null);
    setOutcome(null);
    return () => window.clearTimeout(timer.current);
  }, [editing.filter]);

  const setParts = (parts: Group["parts"]) => setEditing((e) => ({ ...e, filter: { ...e.filter, parts } }));
  const conditions = editing.filter.parts.flatMap((p) => (p.part === "condition" ? [p.condition] : []));

  const request = (): ExportRequest => ({
    label: editing.name || t.dm.everyone,
    filter: editing.filter,
    columns,
    list: { order, max_joint_names: maxJoint },
    checks: checks ?? { max_name_chars: 20, max_address_chars: 40, banned_words: ["要注意", "クレーム", "様様"] },
    format,
    campaign,
    campaign_id: campaignId,
  });

  async function saveSegment() {
    try {
      const saved = await call(commands.saveSegment({ id: editing.id, name: editing.name, kind: editing.kind, filter: editing.kind === "static" ? { all: true, parts: [] } : editing.filter }));
      setEditing({ id: saved.id, name: saved.name, kind: saved.kind, filter: saved.kind === "static" ? inList(saved.id) : saved.filter });
      setNotice(t.dm.saved);
      await load();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function snapshot() {
    try {
      const list = await call(commands.snapshotSegment(t.dm.snapshotName(editing.name), editing.filter));
      setEditing({ id: list.id, name: list.name, kind: "static", filter: inList(list.id) });
      await load();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function removeMember(customerId: number) {
    if (editing.id === null) return;
    await call(commands.setListMembers(editing.id, [], [customerId]));
    setEditing({ ...editing, filter: inList(editing.id) });
  }

  async function prepare() {
    setError(null);
    try {
      setPrepared(await call(commands.prepareDm(request())));
      setApproved(false);
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function chooseDest() {
    const picked = await save({ defaultPath: `DM_${campaign || editing.name || "list"}.${EXTENSION[format]}`, filters: [{ name: format === "xlsx" ? "Excel" : "CSV", extensions: [EXTENSION[format]] }] });
    if (picked) setDest(picked);
  }

  async function exportList() {
    setError(null);
    try {
      const done = await call(commands.exportDm(request(), dest, approved));
      setOutcome(done);
      await load();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  const problemText = (p: Prepared["problems"][number]) => {
    switch (p.problem.kind) {
      case "not_in_cp932":
        return t.dm.notInCp932(p.problem.character, p.problem.replacement);
      case "too_long":
        return t.dm.tooLong(p.problem.length, p.problem.limit);
      case "banned_word":
        return t.dm.banned(p.problem.word);
      case "postal_mismatch":
        return t.dm.postalMismatch(p.problem.expected);
    }
  };

  return (
    <div className="dm-screen" data-testid="dm-screen">
      <nav className="settings-nav">
        <h2>{t.dm.segments}</h2>
        <button className={editing.id === null && editing.filter.parts.length === 0 ? "side-item active" : "side-item"} onClick={() => setEditing({ id: null, name: "", kind: "dynamic", filter: { all: true, parts: [] } })}>
          {t.dm.everyone}
        </button>
        {segments.map((s) => (
          <button key={s.id} className={editing.id === s.id ? "side-item active" : "side-item"} onClick={() => setEditing({ id: s.id, name: s.name, kind: s.kind, filter: s.kind === "static" ? inList(s.id) : s.filter })} data-testid={`segment-${s.id}`}>
            {s.name}
            {s.kind === "static" && <span className="chip label-chip list-badge">{t.dm.listBadge}</span>}
          </button>
        ))}
        <button className="side-item" onClick={() => setEditing({ id: null, name: "", kind: "dynamic", filter: { all: true, parts: [{ part: "condition", condition: blankCondition("status_in") }] } })} data-testid="segment-new">
          {t.dm.newSegment}
        </button>
        <button className="side-item" onClick={() => setEditing({ id: null, name: "", kind: "static", filter: { all: true, parts: [] } })} data-testid="list-new">
          {t.dm.newList}
        </button>
      </nav>
      <div className="settings-body">
        <section className="builder">
          <div className="add-row">
            <input data-testid="segment-name" placeholder={t.dm.name} value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} />
            {editing.kind === "dynamic" && (
              <select value={editing.filter.all ? "all" : "any"} onChange={(e) => setEditing({ ...editing, filter: { ...editing.filter, all: e.target.value === "all" } })}>
                <option value="all">{t.dm.all}</option>
                <option value="any">{t.dm.any}</option>
              </select>
            )}
            <button onClick={saveSegment} disabled={!editing.name.trim()} data-testid="segment-save">
              {editing.kind === "static" && editing.id === null ? t.dm.createList : t.dm.save}
            </button>
          </div>
          {editing.kind === "static" && <p className="muted">{t.dm.listHint}</p>}
          {editing.kind === "dynamic" && conditions.map((c, i) => (
            <div className="condition" key={i}>
              <select value={c.kind} onChange={(e) => setParts(conditions.map((x, j) => ({ part: "condition", condition: j === i ? blankCondition(e.target.value as Condition["kind"]) : x })))}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t.conditions[k]}
                  </option>
                ))}
              </select>
              <ConditionEditor condition={c} onChange={(next) => setParts(conditions.map((x, j) => ({ part: "condition", condition: j === i ? next : x })))} />
              <button className="ghost" onClick={() => setParts(conditions.filter((_, j) => j !== i).map((x) => ({ part: "condition", condition: x })))}>
                {t.dm.remove}
              </button>
            </div>
          ))}
          {editing.kind === "dynamic" && (
          <button className="ghost" data-testid="condition-add" onClick={() => setParts([...editing.filter.parts, { part: "condition", condition: blankCondition("status_in") }])}>
            {t.dm.addCondition}
          </button>
          )}
          {editing.kind === "dynamic" && (
            <button className="ghost" data-testid="segment-snapshot" onClick={snapshot}>
              {t.dm.snapshot}
            </button>
          )}
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
                    {editing.kind === "static" && (
                      <button className="ghost small" onClick={() => removeMember(r.id)}>
                        {t.dm.removeMember}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>

        <section>
          <h3>{t.dm.exportTitle}</h3>
          <div className="add-row wrap">
            <label className="inline-field">
              {t.dm.format}
              <select data-testid="dm-format" value={format} onChange={(e) => { setFormat(e.target.value as FileFormat); setPrepared(null); }}>
                {Object.entries(t.dm.formats).map(([v, label]) => (
                  <option key={v} value={v}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              {t.dm.order}
              <select value={order} onChange={(e) => { setOrder(e.target.value as Order); setPrepared(null); }}>
                {Object.entries(t.dm.orders).map(([v, label]) => (
                  <option key={v} value={v}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              {t.dm.maxJoint}
              <input type="number" min={0} max={5} value={maxJoint} onChange={(e) => { setMaxJoint(Number(e.target.value)); setPrepared(null); }} />
            </label>
            <label className="inline-field">
              {t.dm.campaign}
              <input value={campaign} onChange={(e) => setCampaign(e.target.value)} />
            </label>
            <label className="inline-field">
              {t.dm.campaignLink}
              <select value={campaignId ?? ""} onChange={(e) => setCampaignId(e.target.value ? Number(e.target.value) : null)} data-testid="dm-campaign">
                <option value="">{t.campaigns.none}</option>
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <button className="primary" data-testid="dm-prepare" onClick={prepare}>
              {t.dm.prepare}
            </button>
          </div>
          <ColumnsEditor columns={columns} standard={DEFAULT_COLUMNS} onChange={(c) => { setColumns(c); setPrepared(null); }} />
          {checks && <ChecksEditor options={checks} onChange={(o) => { setChecks(o); setPrepared(null); }} />}
          {error && <p className="error" data-testid="dm-error">{error}</p>}
          {notice && <p className="ok">{notice}</p>}
          {prepared && (
            <div data-testid="dm-prepared">
              {prepared.rows === 0 ? (
                <p className="error">{t.dm.empty}</p>
              ) : (
                <div className="summary">
                  <div className="stat">
                    <span>{t.dm.exportTitle}</span>
                    <strong data-testid="dm-rows">{t.dm.rows(prepared.rows)}</strong>
                  </div>
                  <div className="stat">
                    <span>{t.dm.merged}</span>
                    <strong data-testid="dm-merged">{t.dm.people(prepared.households_merged)}</strong>
                  </div>
                </div>
              )}
              {prepared.excluded.length > 0 && (
                <details className="problems" data-testid="dm-excluded">
                  <summary>
                    {t.dm.excluded}（{prepared.excluded.length}）：
                    {Object.entries(prepared.excluded.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.reason]: (acc[p.reason] ?? 0) + 1 }), {}))
                      .map(([reason, n]) => `${t.dm.reasons[reason]} ${n}人`)
                      .join("・")}
                  </summary>
                  <ul>
                    {prepared.excluded.map((p) => (
                      <li key={p.customer_id}>
                        {p.name} <span className="muted">{t.dm.reasons[p.reason]}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {prepared.problems.length > 0 && (
                <details className="problems" open data-testid="dm-problems">
                  <summary>
                    {t.dm.problems}（{prepared.problems.length}）
                  </summary>
                  <ul>
                    {prepared.problems.map((p, i) => (
                      <li key={i}>
                        <span className="muted">
                          {p.row}行目 {p.column}
                        </span>{" "}
                        {p.value}：{problemText(p)}
                      </li>
                    ))}
                  </ul>
                  <label className="check">
                    <input type="checkbox" data-testid="dm-approve" checked={approved} onChange={(e) => setApproved(e.target.checked)} />
                    {t.dm.approve}
                  </label>
                </details>
              )}
              {prepared.rows > 0 && (
                <>
                  <h3>{t.dm.sample}</h3>
                  <div className="table-scroll">
                    <table className="settings-table sample" data-testid="dm-sample">
                      <thead>
                        <tr>
                          {columns.map((c) => (
                            <th key={c.field}>{c.header}</th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {prepared.preview.map((cells, i) => (
                          <tr key={i}>
                            {cells.map((v, j) => (
                              <td key={j}>{v}</td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  <div className="add-row">
                    <input className="path" data-testid="dm-dest" placeholder={t.dm.dest} value={dest} onChange={(e) => setDest(e.target.value)} />
                    <button onClick={chooseDest}>{t.dm.chooseDest}</button>
                    <button className="primary" data-testid="dm-export" disabled={!dest || (prepared.problems.length > 0 && !approved)} onClick={exportList}>
                      {t.dm.export}
                    </button>
                  </div>
                </>
              )}
            </div>
          )}
          {outcome && (
            <div className="banner ok-banner" data-testid="dm-done">
              {t.dm.exported(outcome.file, outcome.rows)}
            </div>
          )}
        </section>

        <section>
          <h3>{t.dm.history}</h3>
          {mailings.length === 0 ? (
            <p className="muted">{t.dm.noHistory}</p>
          ) : (
            <ul className="backup-list" data-testid="dm-history">
              {mailings.map((m) => (
                <li key={m.id}>
                  <span>{formatDateTime(m.exported_at)}</span>
                  <span>{m.record.campaign}</span>
                  <span>{m.record.file_name}</span>
                  <span className="muted">{t.dm.rows(m.record.rows)}</span>
                  <span className="muted mono small">{m.sha256.slice(0, 12)}…</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
