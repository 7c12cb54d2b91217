import { useEffect, useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { call, commands, messageOf, type CustomerQuery, type CustomerRow, type Segment, type SortKey } from "../shared/api";
import { PageCache, PAGE_SIZE } from "../shared/pages";
import { contactPhone, formatDate, fullKana, fullName } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { GradeChip, LabelChip, StatusChip } from "../shared/Chips";
import { t } from "../i18n";

type ColumnKey = keyof typeof t.columns;
const ALL_COLUMNS: ColumnKey[] = ["name", "kana", "status", "grade", "labels", "postal", "address", "phone", "email", "staff", "lastContact", "completeness", "updated"];
const DEFAULT_COLUMNS: ColumnKey[] = ["name", "kana", "status", "grade", "labels", "address", "phone", "lastContact", "completeness", "updated"];
const WIDTHS: Record<ColumnKey, string> = {
  name: "minmax(120px, 1.1fr)",
  kana: "minmax(110px, 1fr)",
  status: "minmax(170px, 1.3fr)",
  grade: "56px",
  labels: "minmax(100px, 1fr)",
  postal: "90px",
  address: "minmax(180px, 2fr)",
  phone: "130px",
  mobile: "130px",
  email: "minmax(140px, 1.2fr)",
  staff: "100px",
  updated: "96px",
  completeness: "70px",
  lastContact: "96px",
};
const ROW_HEIGHT = 40;
const COLUMNS_KEY = "daicho.columns";

function loadColumns(): ColumnKey[] {
  try {
    const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? "null");
    if (Array.isArray(saved) && saved.every((c) => ALL_COLUMNS.includes(c))) return saved;
  } catch {
    /* a broken saved value falls back to the defaults */
  }
  return DEFAULT_COLUMNS;
}

export function CustomerList({ query, onQuery, selectedId, onSelect }: { query: CustomerQuery; onQuery: (q: CustomerQuery) => void; selectedId: number | null; onSelect: (id: number) => void }) {
  const { statuses, labels, staff, revision } = useLedger();
  const [columns, setColumns] = useState<ColumnKey[]>(loadColumns);
  const [chooser, setChooser] = useState(false);
  const [lists, setLists] = useState<Segment[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const cache = useRef(new PageCache(0));
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

  function fetchPage(generation: number, page: number) {
    cache.current.markPending(page);
    call(commands.listCustomers({ ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }))
      .then((result) => {
        if (cache.current.generation !== generation) return;
        cache.current.store(page, result.rows);
        setTotal(result.total);
        setTick((n) => n + 1);
      })
      .catch((e) => {
        cache.current.fail(page);
        setError(messageOf(e, t.errors.unexpected));
      });
  }

  // A new query or any write starts a fresh cache from the first page.
  useEffect(() => {
    const generation = cache.current.generation + 1;
    cache.current = new PageCache(generation);
    setError(null);
    fetchPage(generation, 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, revision]);

  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    if (items.length === 0) return;
    for (const page of cache.current.missing(items[0].index, items[items.length - 1].index)) fetchPage(cache.current.generation, page);
  });

  useEffect(() => localStorage.setItem(COLUMNS_KEY, JSON.stringify(columns)), [columns]);

  const template = useMemo(() => columns.map((c) => WIDTHS[c]).join(" "), [columns]);
  const statusById = useMemo(() => new Map(statuses.map((s) => [s.id, s])), [statuses]);
  const labelById = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels]);
  const staffById = useMemo(() => new Map(staff.map((s) => [s.id, s])), [staff]);

  function cell(row: CustomerRow, column: ColumnKey) {
    switch (column) {
      case "name":
        return <strong>{row.company && !row.family_name ? row.company : fullName(row)}</strong>;
      case "kana":
        return <span className="muted">{fullKana(row)}</span>;
      case "status":
        return <StatusChip status={statusById.get(row.status_id)} />;
      case "grade":
        return <GradeChip grade={row.grade} />;
      case "labels":
        return row.label_ids.map((id) => <LabelChip key={id} label={labelById.get(id)} />);
      case "postal":
        return row.postal_code && `〒${row.postal_code}`;
      case "address":
        return row.address;
      case "phone":
        return contactPhone(row);
      case "mobile":
        return row.mobile;
      case "email":
        return row.email;
      case "staff":
        return row.staff_id ? staffById.get(row.staff_id)?.name : "";
      case "updated":
        return (
          <>
            {formatDate(row.updated_at)}
            {row.stale && <span className="mark stale" title={t.sidebar.stale}>{t.sidebar.staleMark}</span>}
          </>
        );
      case "lastContact":
        return (
          <>
            {row.last_contact_at?.slice(0, 10) ?? ""}
            {row.overdue && <span className="mark overdue">{t.sidebar.overdueMark}</span>}
          </>
        );
      case "completeness":
        return (
          <span className="meter" title={`${row.completeness}%`}>
            <span className="meter-fill" style={{ width: `${row.completeness}%` }} />
            <span className="meter-text">{row.completeness}%</span>
          </span>
        );
    }
  }

  return (
    <section className="list-pane">
      <div className="list-toolbar">
        <span className="total" data-testid="list-total">
          {total === null ? t.app.loading : t.list.count(total)}
        </span>
        <label>
          {t.list.sort}
          <select data-testid="sort" value={query.sort} onChange={(e) => onQuery({ ...query, sort: e.target.value as SortKey, descending: e.target.value === "updated" || e.target.value === "created" })}>
            {(Object.keys(t.sort) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {t.sort[k]}
              </option>
            ))}
          </select>
        </label>
        {notice && <span className="ok">{notice}</span>}
        <div className="column-chooser list-adder">
          <button
            data-testid="add-to-list"
            onClick={async () => setLists(lists ? null : (await call(commands.listSegments())).filter((s) => s.kind === "static"))}
          >
            {t.list.addToList} ▾
          </button>
          {lists && (
            <div className="popover" onMouseLeave={() => setLists(null)}>
              {lists.length === 0 && <span className="muted">{t.list.noLists}</span>}
              {lists.map((l) => (
                <button
                  key={l.id}
                  className="ghost"
                  onClick={async () => {
                    try {
                      setNotice(t.list.added(await call(commands.addSearchToList(l.id, query)), l.name));
                    } catch (e) {
                      setError(messageOf(e, t.errors.unexpected));
                    }
                    setLists(null);
                  }}
                >
                  {l.name}
                </button>
              ))}
            </div>
          )}
        </div>
        <div className="column-chooser">
          <button onClick={() => setChooser(!chooser)} data-testid="columns-button">
            {t.list.columns} ▾
          </button>
          {chooser && (
            <div className="popover" onMouseLeave={() => setChooser(false)}>
              {ALL_COLUMNS.map((c) => (
                <label key={c}>
                  <input type="checkbox" checked={columns.includes(c)} disabled={c === "name"} onChange={(e) => setColumns(e.target.checked ? ALL_COLUMNS.filter((x) => x === c || columns.includes(x)) : columns.filter((x) => x !== c))} />
                  {t.columns[c]}
                </label>
              ))}
            </div>
          )}
        </div>
      </div>
      <div className="list-head" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c}>{t.columns[c]}</div>
        ))}
      </div>
      {error && <div className="error banner">{error}</div>}
      {total === 0 && <div className="list-empty">{query.text || query.status_ids.length || query.trashed ? t.list.empty : t.list.emptyLedger}</div>}
      <div className="list-body" ref={scroller} data-testid="customer-list">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = cache.current.row(item.index);
            return (
              <div
                key={item.key}
                className={row && row.id === selectedId ? "list-row selected" : "list-row"}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: template }}
                onClick={() => row && onSelect(row.id)}
                data-testid={row ? `row-${row.id}` : undefined}
              >
                {row ? columns.map((c) => <div key={c}>{cell(row, c)}</div>) : <div className="muted">{t.list.loadingRow}</div>}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
