import { useState } from "react";
import type { CheckOptions, Column, DmField } from "../shared/api";
import { splitList } from "../shared/format";
import { useSaveChecks, useTemplates } from "./use-templates";
import { t } from "../i18n";

const ALL_FIELDS = Object.keys(t.dmFields) as DmField[];

/** The column moved by `by` places, kept inside the list. */
function moved(columns: Column[], i: number, by: number): Column[] {
  const next = [...columns];
  const [c] = next.splice(i, 1);
  next.splice(Math.max(0, Math.min(next.length, i + by)), 0, c);
  return next;
}

/** Which columns the file has, in which order, under which headers; saved as templates. */
export function ColumnsEditor({ columns, standard, onChange }: { columns: Column[]; standard: Column[]; onChange: (c: Column[]) => void }) {
  const { templates, message, error, saveTemplate } = useTemplates();
  const [name, setName] = useState("");
  const chosen = new Set(columns.map((c) => c.field));

  return (
    <details className="problems" data-testid="dm-columns">
      <summary>{t.dm.columns}</summary>
      <select
        onChange={(e) =>
          onChange(e.target.value === "" ? standard : (templates.find((x) => x.name === e.target.value)?.columns ?? standard))
        }
      >
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
                <input
                  value={c.header}
                  onChange={(e) => onChange(columns.map((x) => (x.field === c.field ? { ...x, header: e.target.value } : x)))}
                />
              </td>
              <td>
                <button className="ghost small" aria-label={t.dm.up} onClick={() => onChange(moved(columns, i, -1))}>
                  ↑
                </button>
                <button className="ghost small" aria-label={t.dm.down} onClick={() => onChange(moved(columns, i, 1))}>
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
        <button disabled={!name.trim()} onClick={() => void saveTemplate(name, columns)}>
          {t.dm.saveTemplate}
        </button>
        {message && <span className="ok">{message}</span>}
        {error && <span className="error">{error}</span>}
      </div>
    </details>
  );
}

/** Length limits and banned words checked before any list is written. */
export function ChecksEditor({ options, onChange }: { options: CheckOptions; onChange: (o: CheckOptions) => void }) {
  const { message, error, saveChecks } = useSaveChecks();
  return (
    <details className="problems">
      <summary>{t.dm.checks}</summary>
      <div className="add-row wrap">
        <label className="inline-field">
          {t.dm.maxName}
          <input
            type="number"
            min={1}
            value={options.max_name_chars}
            onChange={(e) => onChange({ ...options, max_name_chars: Number(e.target.value) })}
          />
        </label>
        <label className="inline-field">
          {t.dm.maxAddress}
          <input
            type="number"
            min={1}
            value={options.max_address_chars}
            onChange={(e) => onChange({ ...options, max_address_chars: Number(e.target.value) })}
          />
        </label>
        <label className="inline-field">
          {t.dm.bannedWords}
          <input
            defaultValue={options.banned_words.join(t.app.listSeparator)}
            onBlur={(e) => onChange({ ...options, banned_words: splitList(e.target.value) })}
          />
        </label>
        <button onClick={() => void saveChecks(options)}>{t.dm.saveChecks}</button>
        {message && <span className="ok">{message}</span>}
        {error && <span className="error">{error}</span>}
      </div>
    </details>
  );
}
