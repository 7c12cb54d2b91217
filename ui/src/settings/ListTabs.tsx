import { useState, type ReactNode } from "react";
import { call, commands } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useWrite } from "./use-write";
import { t } from "../i18n";

/** A settings list: its title, its table, the last write's error and a row to add a name. */
export function ListSection({
  title,
  error,
  addLabel,
  onAdd,
  children,
}: {
  title: string;
  error: string | null;
  addLabel: string;
  onAdd: (name: string) => Promise<unknown>;
  children: ReactNode;
}) {
  return (
    <section>
      <h3>{title}</h3>
      {children}
      {error && <p className="error">{error}</p>}
      <NewNameRow label={addLabel} onAdd={onAdd} />
    </section>
  );
}

/** A name field and its add button under a settings table. */
function NewNameRow({ label, onAdd }: { label: string; onAdd: (name: string) => Promise<unknown> }) {
  const [name, setName] = useState("");
  return (
    <form
      className="add-row"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!name.trim()) return;
        await onAdd(name);
        setName("");
      }}
    >
      <input value={name} onChange={(e) => setName(e.target.value)} placeholder={label.replace("＋ ", "")} />
      <button type="submit">{label}</button>
    </form>
  );
}

export function LabelsTab() {
  const { labels } = useLedger();
  const { error, write } = useWrite();
  return (
    <ListSection
      title={t.settings.tabs.labels}
      error={error}
      addLabel={t.settings.addLabel}
      onAdd={(name) => write(() => call(commands.saveLabel({ id: null, name, color: "#0ea5e9" })))}
    >
      <table className="settings-table">
        <tbody>
          {labels.map((l) => (
            <tr key={l.id}>
              <TextCell value={l.name} onSave={(name) => write(() => call(commands.saveLabel({ ...l, name })))} />
              <td>
                <input
                  type="color"
                  value={l.color}
                  onChange={(e) => write(() => call(commands.saveLabel({ ...l, color: e.target.value })))}
                />
              </td>
              <td>
                <button
                  className="ghost"
                  onClick={() => window.confirm(t.settings.deleteLabelConfirm(l.name)) && write(() => call(commands.deleteLabel(l.id)))}
                >
                  {t.settings.deleteLabel}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ListSection>
  );
}

/** A table cell whose text is saved when it loses focus changed. */
export function TextCell({ value, onSave }: { value: string; onSave: (value: string) => void }) {
  return (
    <td>
      <input defaultValue={value} onBlur={(e) => e.target.value !== value && onSave(e.target.value)} />
    </td>
  );
}
