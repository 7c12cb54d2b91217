import { useState } from "react";
import type { ColumnPlan, Field, ImportPreview as Preview, SheetPlan } from "../shared/api";
import { fullKana, fullName } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { pairedRanges, type Importer } from "./use-import";
import { t } from "../i18n";

const FIELDS = Object.keys(t.importFields) as Field[];

/** A column with neither a header nor a field says nothing in the mapping
 * table (the blank cells of a two-row header); if it holds values, the
 * unmapped list shows it by its letter. */
const saysSomething = (c: ColumnPlan) => c.header.trim() !== "" || c.field !== null;

/** Whether some rows would get no status from the file: no status column,
 * and a sheet whose name names no status either. */
const needsFileStatus = (preview: Preview) => !preview.has_status_column && preview.sheets.some((s) => !s.status_from_name);

type Props = { im: Importer; preview: Preview };

/** What the import would save, with every choice the office can still make. */
export function ImportPreview({ im, preview }: Props) {
  return (
    <div className="preview" data-testid="import-preview">
      <Summary preview={preview} />
      {preview.encoding && <p className="muted">{t.importer.encoding(preview.encoding)}</p>}
      <Sheets im={im} preview={preview} />
      {preview.saved_mapping && <p className="muted">{t.importer.savedMapping(preview.saved_mapping)}</p>}
      {preview.sheets
        .filter((s) => s.lines > 1)
        .map((s) => (
          <Pairing key={s.name} sheet={s} named={preview.sheets.length > 1} />
        ))}
      {needsFileStatus(preview) && <FileStatus im={im} />}
      <div className="form-actions top">
        {!im.outcome && (
          <button className="primary" data-testid="import-commit" disabled={preview.records === 0} onClick={() => void im.commit()}>
            {t.importer.commit(preview.records)}
          </button>
        )}
        <button onClick={() => void im.saveReport()} data-testid="import-report">
          {t.importer.saveReport}
        </button>
      </div>
      <Sample preview={preview} />
      <Mapping im={im} preview={preview} />
      <StatusValues im={im} preview={preview} />
      {(preview.skipped.length > 0 || im.options.include_business) && (
        <label className="check" data-testid="import-include-business">
          <input type="checkbox" checked={im.options.include_business} onChange={(e) => im.setIncludeBusiness(e.target.checked)} />
          {t.importer.includeBusiness}
        </label>
      )}
      <Problems
        title={t.importer.skipped}
        rows={preview.skipped.map((s) => [t.importer.place(s.sheet, s.row), s.reason])}
        testid="import-skipped"
      />
      <Problems
        title={t.importer.warnings}
        rows={preview.warnings.map((w) => [t.importer.place(w.sheet, w.row), t.importer.warning(w.column, w.message)])}
        testid="import-warnings"
      />
      <Conflicts im={im} preview={preview} />
    </div>
  );
}

function Summary({ preview }: { preview: Preview }) {
  const figures = [
    ["rows", preview.rows],
    ["records", preview.records],
    ["newCustomers", preview.new_customers],
    ["merged", preview.merged_with_ledger],
    ["mergedInFile", preview.merged_in_file],
    ["skipped", preview.skipped.length],
    ["warnings", preview.warnings.length],
  ] as const;
  return (
    <div className="summary">
      {figures.map(([key, n]) => (
        <div className="stat" key={key} data-testid={`summary-${key}`}>
          <span>{t.importer.summary[key]}</span>
          <strong>{n.toLocaleString("ja-JP")}</strong>
        </div>
      ))}
    </div>
  );
}

function Sheets({ im, preview }: Props) {
  if (preview.all_sheets.length <= 1) return null;
  const { sheets } = im.options;
  return (
    <div className="sheet-choice">
      <strong>{t.importer.sheets}</strong>
      {preview.all_sheets.map((name) => (
        <label key={name} className="check">
          <input
            type="checkbox"
            checked={sheets.length === 0 || sheets.includes(name)}
            onChange={(e) => im.toggleSheet(name, e.target.checked)}
          />
          {name}
        </label>
      ))}
    </div>
  );
}

/** Which rows became one person on a sheet that writes each customer on several rows. */
function Pairing({ sheet, named }: { sheet: SheetPlan; named: boolean }) {
  const ranges = pairedRanges(sheet.paired_rows).map(([first, last]) => t.importer.pairedRows(first, last));
  return (
    <p className="banner info" data-testid="import-pairing">
      {named && <strong>{t.importer.sheetLabel(sheet.name)}</strong>}
      {t.importer.pairing(sheet.lines, ranges)}
    </p>
  );
}

/** The status of rows the file gives none; unset, the ledger's first. */
function FileStatus({ im }: { im: Importer }) {
  const { statuses } = useLedger();
  return (
    <label className="inline-field">
      <strong>{t.importer.fileStatus}</strong>
      <select
        data-testid="import-file-status"
        value={im.options.file_status ?? ""}
        onChange={(e) => im.setFileStatus(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">{t.importer.fileStatusUnset(statuses[0]?.name ?? "")}</option>
        <ActiveStatuses />
      </select>
    </label>
  );
}

function ActiveStatuses() {
  const { statuses } = useLedger();
  return statuses
    .filter((s) => !s.retired)
    .map((s) => (
      <option key={s.id} value={s.id}>
        {s.name}
      </option>
    ));
}

function Sample({ preview }: { preview: Preview }) {
  const { statuses } = useLedger();
  const statusName = (id: number | null) => statuses.find((s) => s.id === id)?.name ?? "";
  const headers = [
    t.importer.origin,
    t.columns.name,
    t.columns.kana,
    t.columns.postal,
    t.columns.address,
    t.columns.phone,
    t.columns.mobile,
  ];
  return (
    <>
      <h3>{t.importer.sample(preview.sample.length)}</h3>
      <div className="table-scroll">
        <table className="settings-table sample" data-testid="import-sample">
          <thead>
            <tr>
              {[...headers, t.fields.birthday, t.columns.status, t.importer.dmColumn].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((r, i) => (
              <tr key={i}>
                <td className="muted">{t.importer.place(r.origin[0].sheet, r.origin[0].row)}</td>
                <td>{fullName(r.fields)}</td>
                <td>{fullKana(r.fields)}</td>
                <td>{r.fields.postal_code}</td>
                <td>{[r.fields.prefecture, r.fields.city, r.fields.address1, r.fields.address2].filter(Boolean).join(" ")}</td>
                <td>{r.fields.phone}</td>
                <td>{r.fields.mobile}</td>
                <td>{r.fields.birthday}</td>
                <td>{statusName(r.fields.status_id) || statusName(statuses[0]?.id ?? null)}</td>
                <td>{r.fields.dm_opt_out ? t.importer.dmNotWanted : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Each sheet's columns and their fields, the columns nobody mapped, and saving the mapping. */
function Mapping({ im, preview }: Props) {
  const [mappingName, setMappingName] = useState("");
  return (
    <>
      <h3>{t.importer.mapping}</h3>
      {preview.sheets.map((sheet) => (
        <table className="settings-table" key={sheet.name}>
          <thead>
            <tr>
              <th>{sheet.name}</th>
              <th>{t.importer.header}</th>
              <th>{t.importer.field}</th>
            </tr>
          </thead>
          <tbody>
            {sheet.columns.filter(saysSomething).map((c) => (
              <tr key={`${c.line}-${c.letter}`}>
                <td className="muted">
                  {c.letter}
                  {c.line > 0 && <span className="chip label-chip list-badge">{t.importer.line(c.line + 1)}</span>}
                </td>
                <td>{c.header}</td>
                <td>
                  <FieldSelect field={c.field} onChange={(f) => im.remap(c.header, f)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <Unmapped im={im} preview={preview} />
      <div className="add-row">
        <input value={mappingName} onChange={(e) => setMappingName(e.target.value)} placeholder={t.importer.mappingName} />
        <button onClick={() => void im.saveMapping(mappingName)}>{t.importer.saveMapping}</button>
      </div>
    </>
  );
}

function Unmapped({ im, preview }: Props) {
  if (preview.unmapped.length === 0) return null;
  return (
    <>
      <h3>{t.importer.unmapped}</h3>
      <p className="muted">{t.importer.unmappedLead}</p>
      <table className="settings-table" data-testid="import-unmapped">
        <thead>
          <tr>
            <th>{t.importer.sheet}</th>
            <th>{t.importer.column}</th>
            <th>{t.importer.header}</th>
            <th>{t.importer.samples}</th>
            <th>{t.importer.field}</th>
          </tr>
        </thead>
        <tbody>
          {preview.unmapped.map((u) => (
            <tr key={`${u.sheet}-${u.letter}`}>
              <td className="muted">{u.sheet}</td>
              <td className="muted">{u.letter}</td>
              <td>{u.header || <span className="muted">{t.importer.noHeader}</span>}</td>
              <td className="small">{u.samples.join(t.app.listSeparator)}</td>
              <td>
                <FieldSelect field={null} onChange={(f) => im.remap(u.header, f)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** A column's field; empty keeps the column's values in the notes. */
function FieldSelect({ field, onChange }: { field: Field | null; onChange: (field: Field | null) => void }) {
  return (
    <select value={field ?? ""} onChange={(e) => onChange((e.target.value || null) as Field | null)}>
      <option value="">{t.importer.keepInNotes}</option>
      {FIELDS.map((f) => (
        <option key={f} value={f}>
          {t.importFields[f]}
        </option>
      ))}
    </select>
  );
}

/** The file's own status wordings and the ledger's status each becomes. */
function StatusValues({ im, preview }: Props) {
  if (preview.status_values.length === 0) return null;
  return (
    <>
      <h3>{t.importer.statusValues}</h3>
      <table className="settings-table">
        <tbody>
          {preview.status_values.map((v) => (
            <tr key={v.value}>
              <td>{v.value}</td>
              <td className="muted">{t.importer.rowsOf(v.rows)}</td>
              <td>
                <select value={v.status_id ?? ""} onChange={(e) => im.restatus(v.value, Number(e.target.value))}>
                  {v.status_id === null && <option value="">{t.importer.unknownStatus}</option>}
                  <ActiveStatuses />
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Problems({ title, rows, testid }: { title: string; rows: [string, string][]; testid: string }) {
  if (rows.length === 0) return null;
  return (
    <details className="problems" data-testid={testid} open={rows.length <= 20}>
      <summary>{t.app.counted(title, rows.length)}</summary>
      <ul>
        {rows.map(([place, text], i) => (
          <li key={i}>
            <span className="muted">{place}</span> {text}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Fields where the file and the ledger disagree; the ledger's value stays unless the office ticks the file's. */
function Conflicts({ im, preview }: Props) {
  const { conflicts } = preview;
  if (conflicts.length === 0) return null;
  return (
    <details className="problems" data-testid="import-conflicts" open={conflicts.length <= 20}>
      <summary>{t.app.counted(t.importer.conflicts, conflicts.length)}</summary>
      <ul>
        {conflicts.map((c, i) => (
          <li key={i}>
            <span className="muted">{t.importer.place(c.row.sheet, c.row.row)}</span>{" "}
            {t.importer.conflict(t.fields[c.conflict.field] ?? c.conflict.field, c.conflict.existing, c.conflict.incoming)}
            <label className="check inline">
              <input
                type="checkbox"
                checked={c.conflict.use_incoming}
                onChange={(e) => im.toggleIncoming(c.row, c.conflict.field, e.target.checked)}
              />
              {t.importer.useIncoming}
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}
