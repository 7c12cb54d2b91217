import { useEffect, useState } from "react";
import { call, commands, type HistoryEntry } from "../shared/api";
import { useAction } from "../shared/use-action";
import { describeHistory, formatDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { shownValue } from "../shared/fields";
import { t } from "../i18n";

/** The customer's history: every field change and status move, newest first. */
export function HistoryTab({ id, revision }: { id: number; revision: number }) {
  const { statuses, staff } = useLedger();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const { error, fail } = useAction();

  useEffect(() => void call(commands.customerHistory(id)).then(setEntries, fail), [id, revision, fail]);

  const valueLabel = (field: string, value: string | null): string => (value === null ? "" : shownValue(field, value, { staff }));

  if (error) return <p className="error">{error}</p>;
  if (!entries) return <p className="muted">{t.app.loading}</p>;
  if (entries.length === 0) return <p className="muted">{t.history.empty}</p>;
  return (
    <ol className="history" data-testid="history">
      {entries.map((entry, i) => {
        const d = describeHistory(entry, statuses, valueLabel);
        return (
          <li key={i} className={entry.kind === "status" ? "status-move" : ""}>
            <div className="when">
              {t.history.line(formatDateTime(entry.at), t.history.by(entry.staff_name), t.history.source[entry.source])}
            </div>
            <div className="what">
              <strong>{d.title}</strong> {d.from && <span className="old">{d.from}</span>} {d.from && "→"}{" "}
              <span className="new">{d.to}</span>
              {entry.note && <div className="note">{t.history.note(entry.note)}</div>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
