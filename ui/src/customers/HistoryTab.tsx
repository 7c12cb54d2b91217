import { useEffect, useState } from "react";
import { call, commands, type HistoryEntry } from "../shared/api";
import { useAction } from "../shared/use-action";
import { describeHistory, formatDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

/** The customer's history: every field change and status move, newest first. */
export function HistoryTab({ id, revision }: { id: number; revision: number }) {
  const { statuses, staff } = useLedger();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const { error, fail } = useAction();

  useEffect(() => void call(commands.customerHistory(id)).then(setEntries, fail), [id, revision, fail]);

  const valueLabel = (field: string, value: string | null): string => {
    if (value === null) return "";
    const options: Record<string, Record<string, string>> = {
      gender: t.options.gender,
      build_timing: t.options.build_timing,
      land: t.options.land,
    };
    if (options[field]) return options[field][value] ?? value;
    if (field === "staff_id") return staff.find((s) => String(s.id) === value)?.name ?? value;
    if (["dm_opt_out", "deceased", "moved"].includes(field)) return value === "1" ? t.options.yes : t.options.no;
    return value;
  };

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
