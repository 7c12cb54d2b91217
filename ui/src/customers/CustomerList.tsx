import { useMemo, useState } from "react";
import type { CustomerQuery, CustomerRow, SortKey } from "../shared/api";
import { contactPhone, formatDate, fullKana, fullName } from "../shared/format";
import { OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { GradeChip, LabelChip, StatusChip } from "../shared/Chips";
import { ALL_COLUMNS, gridTemplate, toggled, type ColumnKey } from "./list-columns";
import { ROW_HEIGHT, useCustomerList, type CustomerListState } from "./use-customer-list";
import { t } from "../i18n";

type Props = { query: CustomerQuery; onQuery: (q: CustomerQuery) => void; selectedId: number | null; onSelect: (id: number) => void };

export function CustomerList({ query, onQuery, selectedId, onSelect }: Props) {
  const list = useCustomerList(query);
  const { columns, total, items, virtualizer, rowAt, scroller } = list;
  const template = useMemo(() => gridTemplate(columns), [columns]);
  const cell = useCell();

  return (
    <section className="list-pane">
      <Toolbar list={list} query={query} onQuery={onQuery} />
      <div className="list-head" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c}>{t.columns[c]}</div>
        ))}
      </div>
      {list.error && <div className="error banner">{list.error}</div>}
      {total === 0 && (
        <div className="list-empty">{query.text || query.status_ids.length || query.trashed ? t.list.empty : t.list.emptyLedger}</div>
      )}
      <div className="list-body" ref={scroller} data-testid="customer-list">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = rowAt(item.index);
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

function Toolbar({ list, query, onQuery }: { list: CustomerListState; query: CustomerQuery; onQuery: (q: CustomerQuery) => void }) {
  const [chooser, setChooser] = useState(false);
  const { columns, lists } = list;
  const { may } = useLedger();
  const sortBy = (sort: SortKey) => onQuery({ ...query, sort, descending: sort === "updated" || sort === "created" });
  return (
    <div className="list-toolbar">
      <span className="total" data-testid="list-total">
        {list.total === null ? t.app.loading : t.list.count(list.total)}
      </span>
      <label>
        {t.list.sort}
        <select data-testid="sort" value={query.sort} onChange={(e) => sortBy(e.target.value as SortKey)}>
          <OptionsOf labels={t.sort} />
        </select>
      </label>
      {list.notice && <span className="ok">{list.notice}</span>}
      <div className="column-chooser list-adder">
        {may("segments") && (
          <button data-testid="add-to-list" onClick={() => void list.toggleLists()}>
            {t.list.addToList} ▾
          </button>
        )}
        {lists && (
          <div className="popover" onMouseLeave={() => list.setLists(null)}>
            {lists.length === 0 && <span className="muted">{t.list.noLists}</span>}
            {lists.map((l) => (
              <button key={l.id} className="ghost" onClick={() => void list.addToList(l)}>
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
                <input
                  type="checkbox"
                  checked={columns.includes(c)}
                  disabled={c === "name"}
                  onChange={(e) => list.setColumns(toggled(columns, c, e.target.checked))}
                />
                {t.columns[c]}
              </label>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

/** How each column shows a row, with the ledger's statuses, labels and staff by id. */
function useCell() {
  const { statuses, labels, staff } = useLedger();
  const statusById = useMemo(() => new Map(statuses.map((s) => [s.id, s])), [statuses]);
  const labelById = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels]);
  const staffById = useMemo(() => new Map(staff.map((s) => [s.id, s])), [staff]);

  return function cell(row: CustomerRow, column: ColumnKey) {
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
        return row.postal_code && t.list.postal(row.postal_code);
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
            {row.stale && (
              <span className="mark stale" title={t.sidebar.stale}>
                {t.sidebar.staleMark}
              </span>
            )}
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
          <span className="meter" title={t.list.percent(row.completeness)}>
            <span className="meter-fill" style={{ width: `${row.completeness}%` }} />
            <span className="meter-text">{t.list.percent(row.completeness)}</span>
          </span>
        );
    }
  };
}
