import { useState } from "react";
import { call, commands, type Customer } from "../shared/api";
import { useAction } from "../shared/use-action";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

/** The status pull-down in list order; a change asks for an optional note. */
export function StatusChanger({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { statuses, followUp, may } = useLedger();
  const current = customer.fields.status_id;
  const [target, setTarget] = useState<number | null>(null);
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const losing = statuses.find((s) => s.id === target)?.stage === "lost";
  const { error, run } = useAction();

  const apply = () =>
    run(async () => {
      if (target === null) return;
      onChanged(await call(commands.changeStatus(customer.id, target, note, losing ? reason : "")));
      setTarget(null);
      setNote("");
      setReason("");
    });

  const color = statuses.find((s) => s.id === (target ?? current))?.color;
  return (
    <div className="status-changer">
      <select
        data-testid="status-select"
        disabled={!may("customers")}
        value={target ?? current ?? ""}
        style={{ borderColor: color, color }}
        onChange={(e) => setTarget(Number(e.target.value) === current ? null : Number(e.target.value))}
      >
        {statuses
          .filter((s) => !s.retired || s.id === current)
          .map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
      </select>
      {target !== null && (
        <>
          {losing && (
            <select data-testid="lost-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t.detail.lostReason}>
              <option value="">{t.detail.chooseLostReason}</option>
              {(followUp?.lost_reasons ?? []).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
          <input data-testid="status-note" placeholder={t.detail.statusNote} value={note} onChange={(e) => setNote(e.target.value)} />
          <button className="primary" data-testid="status-apply" onClick={() => void apply()}>
            {t.detail.changeStatus}
          </button>
        </>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
