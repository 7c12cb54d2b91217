import { useState } from "react";
import type { ColumnPlan, Field, ImportPreview, SheetPlan } from "../shared/api";
import { fullKana, formatDateTime, fullName } from "../shared/format";
import { useImport, pairedRanges } from "./use-import";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

const FIELDS = Object.keys(t.importFields) as Field[];
const isText = (path: string) => /\.(csv|tsv|txt)$/i.test(path);

/** Roster import: choose a file, check what will be saved, import with progress, undo from the history. */
export function ImportScreen({ droppedFile }: { droppedFile: string | null }) {
  const { statuses } = useLedger();
  const im = useImport(droppedFile);
  const { path, options, preview, progress, outcome, history, error, notice } = im;
  const [mappingName, setMappingName] = useState("");

  const statusName = (id: number | null) => statuses.find((s) => s.id === id)?.name ?? "";

  return (
    <div className="import-screen" data-testid="import-screen">
      <h2>{t.importer.title}</h2>
      <p className="muted">{t.importer.lead}</p>
      <div className="add-row">
        <input className="path" data-testid="import-path" placeholder={t.importer.path} value={path} onChange={(e) => im.setPath(e.target.value)} />
        <button onClick={im.choose}>{t.importer.choose}</button>
        <button className="primary" data-testid="import-read" disabled={!path} onClick={im.read}>
          {t.importer.read}
        </button>
      </div>
      {isText(path) && (
        <label className="inline-field">
          {t.importer.encodingLabel}
          <select data-testid="import-encoding" value={options.encoding ?? "auto"} onChange={(e) => im.setEncoding(e.target.value === "auto" ? null : e.target.value)}>
            {Object.entries(t.importer.encodings).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && <p className="error" data-testid="import-error">{error}</p>}
      {notice && <p className="ok">{notice}</p>}

      {progress && (
        <div className="progress" data-testid="import-progress">
          <strong>{t.importer.running}</strong>
          <progress max={progress.total || 1} value={progress.done} />
          <span>{t.importer.progress(progress.done, progress.total)}</span>
          <span className="muted">{t.importer.speed(progress.rows_per_second, progress.seconds_left)}</span>
          <button onClick={im.cancel}>{t.importer.cancel}</button>
        </div>
      )}

      {outcome && (
        <div className="banner ok-banner" data-testid="import-done">
          {t.importer.done(outcome.created, outcome.merged)}
        </div>
      )}

      {preview && !progress && (
        <div className="preview" data-testid="import-preview">
          <div className="summary">
            {(
              [
                ["rows", preview.rows],
                ["records", preview.records],
                ["newCustomers", preview.new_customers],
                ["merged", preview.merged_with_ledger],
                ["mergedInFile", preview.merged_in_file],
                ["skipped", preview.skipped.length],
                ["warnings", preview.warnings.length],
              ] as const
            ).map(([key, n]) => (
              <div className="stat" key={key} data-testid={`summary-${key}`}>
                <span>{t.importer.summary[key]}</span>
                <strong>{n.toLocaleString("ja-JP")}</strong>
              </div>
            ))}
          </div>
          {preview.encoding && <p className="muted">{t.importer.encoding(preview.encoding)}</p>}
          {preview.all_sheets.length > 1 && (
            <div className="sheet-choice">
              <strong>{t.importer.sheets}</strong>
              {preview.all_sheets.map((name) => (
                <label key={name} className="check">
                  <input type="checkbox" checked={options.sheets.length === 0 || options.sheets.includes(name)} onChange={(e) => im.toggleSheet(name, e.target.checked)} />
                  {name}
                </label>
              ))}
            </div>
          )}
          {preview.saved_mapping && <p className="muted">{t.importer.savedMapping(preview.saved_mapping)}</p>}
          {preview.sheets.filter((s) => s.lines > 1).map((s) => (
            <Pairing key={s.name} sheet={s} named={preview.sheets.length > 1} />
          ))}
          {needsFileStatus(preview) && (
            <label className="inline-field">
              <strong>{t.importer.fileStatus}</strong>
              <select data-testid="import-file-status" value={options.file_status ?? ""} onChange={(e) => im.setFileStatus(e.target.value ? Number(e.target.value) : null)}>
                <option value="">{t.importer.fileStatusUnset(statusName(statuses[0]?.id ?? null))}</option>
                {statuses.filter((s) => !s.retired).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="form-actions top">
            {!outcome && (
              <button className="primary" data-testid="import-commit" disabled={preview.records === 0} onClick={im.commit}>
                {t.importer.commit(preview.records)}
              </button>
            )}
            <button onClick={im.saveReport} data-testid="import-report">
              {t.importer.saveReport}
            </button>
          </div>

          <h3>{t.importer.sample(preview.sample.length)}</h3>
          <div className="table-scroll">
            <table className="settings-table sample" data-testid="import-sample">
              <thead>
                <tr>
                  <th>{t.importer.origin}</th>
                  <th>{t.columns.name}</th>
                  <th>{t.columns.kana}</th>
                  <th>{t.columns.postal}</th>
                  <th>{t.columns.address}</th>
                  <th>{t.columns.phone}</th>
                  <th>{t.columns.mobile}</th>
                  <th>{t.fields.birthday}</th>
                  <th>{t.columns.status}</th>
                  <th>DM</th>
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
                    <td>{r.fields.dm_opt_out ? "不要" : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

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
          {preview.unmapped.length > 0 && (
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
                      <td className="small">{u.samples.join("、")}</td>
                      <td>
                        <FieldSelect field={null} onChange={(f) => im.remap(u.header, f)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <div className="add-row">
            <input value={mappingName} onChange={(e) => setMappingName(e.target.value)} placeholder={t.importer.mappingName} />
            <button onClick={() => im.saveMapping(mappingName)}>{t.importer.saveMapping}</button>
          </div>

          {preview.status_values.length > 0 && (
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
                          {statuses.filter((s) => !s.retired).map((s) => (
                            <option key={s.id} value={s.id}>
                              {s.name}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}

          {(preview.skipped.length > 0 || options.include_business) && (
            <label className="check" data-testid="import-include-business">
              <input type="checkbox" checked={options.include_business} onChange={(e) => im.setIncludeBusiness(e.target.checked)} />
              {t.importer.includeBusiness}
            </label>
          )}
          <Problems title={t.importer.skipped} rows={preview.skipped.map((s) => [t.importer.place(s.sheet, s.row), s.reason])} testid="import-skipped" />
          <Problems title={t.importer.warnings} rows={preview.warnings.map((w) => [t.importer.place(w.sheet, w.row), `${w.column}: ${w.message}`])} testid="import-warnings" />
          {preview.conflicts.length > 0 && (
            <details className="problems" data-testid="import-conflicts" open={preview.conflicts.length <= 20}>
              <summary>
                {t.importer.conflicts}（{preview.conflicts.length}）
              </summary>
              <ul>
                {preview.conflicts.map((c, i) => (
                  <li key={i}>
                    <span className="muted">{t.importer.place(c.row.sheet, c.row.row)}</span> {t.fields[c.conflict.field] ?? c.conflict.field}: {t.importer.existing}「{c.conflict.existing}」 / {t.importer.incoming}「{c.conflict.incoming}」
                    <label className="check inline">
                      <input type="checkbox" checked={c.conflict.use_incoming} onChange={(e) => im.toggleIncoming(c.row, c.conflict.field, e.target.checked)} />
                      {t.importer.useIncoming}
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}

      <h3>{t.importer.history}</h3>
      {history.length === 0 ? (
        <p className="muted">{t.importer.noHistory}</p>
      ) : (
        <ul className="backup-list" data-testid="import-history">
          {history.map((b) => (
            <li key={b.id}>
              <span>{formatDateTime(b.imported_at)}</span>
              <span>{b.file_name}</span>
              <span className="muted">{t.importer.batchLine(b.created, b.merged)}</span>
              {b.undone_at ? <span className="muted">{t.importer.undone}</span> : <button onClick={() => im.undo(b)}>{t.importer.undo}</button>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A column with neither a header nor a field says nothing in the mapping
 * table (the blank cells of a two-row header); if it holds values, the
 * unmapped list shows it by its letter. */
const saysSomething = (c: ColumnPlan) => c.header.trim() !== "" || c.field !== null;

/** Whether some rows would get no status from the file: no status column,
 * and a sheet whose name names no status either. */
const needsFileStatus = (preview: ImportPreview) => !preview.has_status_column && preview.sheets.some((s) => !s.status_from_name);

/** Which rows became one person on a sheet that writes each customer on several rows. */
function Pairing({ sheet, named }: { sheet: SheetPlan; named: boolean }) {
  const ranges = pairedRanges(sheet.paired_rows).map(([first, last]) => t.importer.pairedRows(first, last));
  return (
    <p className="banner info" data-testid="import-pairing">
      {named && <strong>{sheet.name}：</strong>}
      {t.importer.pairing(sheet.lines, ranges)}
    </p>
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

function Problems({ title, rows, testid }: { title: string; rows: [string, string][]; testid: string }) {
  if (rows.length === 0) return null;
  return (
    <details className="problems" data-testid={testid} open={rows.length <= 20}>
      <summary>
        {title}（{rows.length}）
      </summary>
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
