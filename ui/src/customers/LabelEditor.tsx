import { useState } from "react";
import { call, commands, type Customer } from "../shared/api";
import { useAction } from "../shared/use-action";
import { useLedger } from "../shared/ledger-context";
import { LabelChip } from "../shared/Chips";
import { t } from "../i18n";

export function LabelEditor({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { labels, may } = useLedger();
  const [open, setOpen] = useState(false);
  const { error, run } = useAction();
  const chosen = new Set(customer.labels.map((l) => l.id));

  function toggle(id: number) {
    const next = chosen.has(id) ? [...chosen].filter((x) => x !== id) : [...chosen, id];
    void run(async () => onChanged(await call(commands.setCustomerLabels(customer.id, next))));
  }

  return (
    <div className="label-editor" data-testid="labels">
      {customer.labels.map((l) => (
        <LabelChip key={l.id} label={l} />
      ))}
      {may("customers") && (
        <button className="ghost small" onClick={() => setOpen(!open)} data-testid="edit-labels">
          {t.detail.editLabels} ▾
        </button>
      )}
      {open && (
        <div className="popover" onMouseLeave={() => setOpen(false)}>
          {labels.map((l) => (
            <label key={l.id}>
              <input type="checkbox" checked={chosen.has(l.id)} onChange={() => toggle(l.id)} />
              <span className="dot" style={{ background: l.color }} /> {l.name}
            </label>
          ))}
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
