import { useEffect, useState } from "react";
import { call, commands, messageOf, type CheckOptions, type Column, type DmField, type Template } from "../shared/api";
import { t } from "../i18n";

const ALL_FIELDS = Object.keys(t.dmFields) as DmField[];

/** Which columns the file has, in which order, under which headers; saved as templates. */
export function ColumnsEditor({ columns, standard, onChange }: { columns: Column[]; standard: Column[]; onChange: (c: Column[]) => void }) {
  const [templates, setTemplates] = useState<Template[]>([]);
  const [name, setName] = useState("");
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => void call(commands.listTemplates()).then(setTemplates, () => undefined), []);

  const chosen = new Set(columns.map((c) => c.field));
  const move = (i: number, by: number) => {
    const next = [...columns];
    const [c] = next.splice(i, 1);
    next.splice(Math.max(0, Math.min(next.length, i + by)), 0, c);
    onChange(next);
  };

  async function save() {
    try {
      await call(commands.saveTemplate({ name, columns }));
      setTemplates(await call(commands.listTemplates()));
      setMessage(t.dm.templateSaved);
    } catch (e) {
      setMessage(messageOf(e, t.errors.unexpected));
    }
  }

  return (
    <details className="problems" data-testid="dm-columns">
      <summary>{t.dm.columns}</summary>
      <select onChange={(e) => onChange(e.target.value === "" ? standard : templates.find((x) => x.name === e.target.value)?.columns ?? standard)}>
        <option value="">{t.dm.standard}</option>
        {templates.map((x) => (
          <option key={x.name} value={x.name}>
            {x.name}
          </option>
        ))}
      </select>
      <table className="settings-table">
        <tbody>
          {columns.map((c, i) => (
            <tr key={c.field}>
              <td>
                <input type="checkbox" checked onChange={() => onChange(columns.filter((x) => x.field !== c.field))} />
              </td>
              <td>{t.dmFields[c.field]}</td>
              <td>
                <input value={c.header} onChange={(e) => onChange(columns.map((x) => (x.field === c.field ? { ...x, header: e.target.value } : x)))} />
              </td>
              <td>
                <button className="ghost small" aria-label={t.dm.up} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button className="ghost small" aria-label={t.dm.down} onClick={() => move(i, 1)}>
                  ↓
                </button>
              </td>
            </tr>
          ))}
          {ALL_FIELDS.filter((f) => !chosen.has(f)).map((f) => (
            <tr key={f} className="retired">
              <td>
                <input type="checkbox" checked={false} onChange={() => onChange([...columns, { field: f, header: t.dmFields[f] }])} />
              </td>
              <td>{t.dmFields[f]}</td>
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="add-row">
        <input placeholder={t.dm.templateName} value={name} onChange={(e) => setName(e.target.value)} />
        <button disabled={!name.trim()} onClick={save}>
          {t.dm.saveTemplate}
        </button>
        {message && <span className="ok">{message}</span>}
      </div>
    </details>
  );
}

/** Length limits and banned words checked before any list is written. */
export function ChecksEditor({ options, onChange }: { options: CheckOptions; onChange: (o: CheckOptions) => void }) {
  const [message, setMessage] = useState<string | null>(null);
  async function save() {
    try {
      await call(commands.saveCheckOptions(options));
      setMessage(t.dm.checksSaved);
    } catch (e) {
      setMessage(messageOf(e, t.errors.unexpected));
    }
  }
  return (
    <details className="problems">
      <summary>{t.dm.checks}</summary>
      <div className="add-row wrap">
        <label className="inline-field">
          {t.dm.maxName}
          <input type="number" min={1} value={options.max_name_chars} onChange={(e) => onChange({ ...options, max_name_chars: Number(e.target.value) })} />
        </label>
        <label className="inline-field">
          {t.dm.maxAddress}
          <input type="number" min={1} value={options.max_address_chars} onChange={(e) => onChange({ ...options, max_address_chars: Number(e.target.value) })} />
        </label>
        <label className="inline-field">
          {t.dm.bannedWords}
          <input
            defaultValue={options.banned_words.join("、")}
            onBlur={(e) => onChange({ ...options, banned_words: e.target.value.split(/[、,]/).map((w) => w.trim()).filter(Boolean) })}
          />
        </label>
        <button onClick={save}>{t.dm.saveChecks}</button>
        {message && <span className="ok">{message}</span>}
      </div>
    </details>
  );
}
