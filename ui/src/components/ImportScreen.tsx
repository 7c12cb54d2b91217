import { useCallback, useEffect, useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import { open, save } from "@tauri-apps/plugin-dialog";
import { call, commands, messageOf, type Field, type ImportBatch, type ImportOutcome, type ImportPreview, type ImportProgress, type PlanOptions, type RowRef } from "../lib/api";
import { formatDateTime, fullKana, fullName } from "../lib/format";
import { useLedger } from "../lib/ledger-context";
import { t } from "../i18n";

const FIELDS = Object.keys(t.importFields) as Field[];
const emptyOptions: PlanOptions = { sheets: [], mapping: null, status_values: {}, encoding: null, take_incoming: [] };
const isText = (path: string) => /\.(csv|tsv|txt)$/i.test(path);

/** Roster import: choose a file, check what will be saved, import with progress, undo from the history. */
export function ImportScreen({ droppedFile }: { droppedFile: string | null }) {
  const { statuses, reload } = useLedger();
  const [path, setPath] = useState("");
  const [options, setOptions] = useState<PlanOptions>(emptyOptions);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [history, setHistory] = useState<ImportBatch[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [mappingName, setMappingName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);

  const loadHistory = useCallback(() => call(commands.listImports()).then(setHistory, () => undefined), []);
  useEffect(() => void loadHistory(), [loadHistory]);

  const read = useCallback(async (file: string, opts: PlanOptions) => {
    setError(null);
    setOutcome(null);
    try {
      setPreview(await call(commands.importPreview(file, opts, null)));
    } catch (e) {
      setPreview(null);
      setError(messageOf(e, t.errors.unexpected));
    }
  }, []);

  useEffect(() => {
    if (droppedFile) {
      setPath(droppedFile);
      setOptions(emptyOptions);
      void read(droppedFile, emptyOptions);
    }
  }, [droppedFile, read]);

  async function choose() {
    const picked = await open({ multiple: false, filters: [{ name: "名簿", extensions: ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"] }] });
    if (typeof picked === "string") {
      setPath(picked);
      setOptions(emptyOptions);
      await read(picked, emptyOptions);
    }
  }

  function remap(header: string, field: Field | null) {
    if (!preview) return;
    const mapping = Object.fromEntries(preview.sheets.flatMap((s) => s.columns.map((c) => [c.header, c.field])));
    mapping[header] = field;
    const next = { ...options, mapping };
    setOptions(next);
    void read(path, next);
  }

  function restatus(value: string, statusId: number) {
    const next = { ...options, status_values: { ...options.status_values, [value]: statusId } };
    setOptions(next);
    void read(path, next);
  }

  function reread(patch: Partial<PlanOptions>) {
    const next = { ...options, ...patch };
    setOptions(next);
    void read(path, next);
  }

  function toggleIncoming(row: RowRef, field: string, use: boolean) {
    const others = options.take_incoming.filter((c) => !(c.row.sheet === row.sheet && c.row.row === row.row && c.field === field));
    reread({ take_incoming: use ? [...others, { row, field }] : others });
  }

  function toggleSheet(name: string, on: boolean) {
    const all = preview?.all_sheets ?? [];
    const current = options.sheets.length ? options.sheets : all;
    const next = on ? [...current, name] : current.filter((s) => s !== name);
    reread({ sheets: next.length === all.length ? [] : next });
  }

  async function saveReport() {
    if (!preview) return;
    const dest = await save({ defaultPath: t.importer.reportName(preview.file), filters: [{ name: "Excel", extensions: ["xlsx"] }] });
    if (!dest) return;
    try {
      await call(commands.saveImportReport(path, options, dest));
      setNotice(t.importer.reportSaved(dest));
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function saveMapping() {
    if (!preview || !mappingName.trim()) return;
    const mapping = Object.fromEntries(preview.sheets.flatMap((s) => s.columns.map((c) => [c.header, c.field])));
    try {
      await call(commands.saveImportMapping(mappingName, preview.header_signature, mapping));
      setNotice(t.importer.mappingSaved);
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function commit() {
    const channel = new Channel<ImportProgress>();
    channel.onmessage = setProgress;
    setProgress({ done: 0, total: preview?.records ?? 0, rows_per_second: 0, seconds_left: 0 });
    try {
      setOutcome(await call(commands.importCommit(path, options, null, channel)));
      await reload();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    } finally {
      setProgress(null);
      await loadHistory();
    }
  }

  async function undo(batch: ImportBatch) {
    if (!window.confirm(t.importer.undoConfirm(batch.file_name))) return;
    try {
      await call(commands.undoImport(batch.id));
      await reload();
      await loadHistory();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  const statusName = (id: number | null) => statuses.find((s) => s.id === id)?.name ?? "";

  return (
    <div className="import-screen" data-testid="import-screen">
      <h2>{t.importer.title}</h2>
      <p className="muted">{t.importer.lead}</p>
      <div className="add-row">
        <input className="path" data-testid="import-path" placeholder={t.importer.path} value={path} onChange={(e) => setPath(e.target.value)} />
        <button onClick={choose}>{t.importer.choose}</button>
        <button className="primary" data-testid="import-read" disabled={!path} onClick={() => read(path, options)}>
          {t.importer.read}
        </button>
      </div>
      {isText(path) && (
        <label className="inline-field">
          {t.importer.encodingLabel}
          <select data-testid="import-encoding" value={options.encoding ?? "auto"} onChange={(e) => reread({ encoding: e.target.value === "auto" ? null : e.target.value })}>
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
          <button onClick={() => commands.importCancel()}>{t.importer.cancel}</button>
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
                  <input type="checkbox" checked={options.sheets.length === 0 || options.sheets.includes(name)} onChange={(e) => toggleSheet(name, e.target.checked)} />
                  {name}
                </label>
              ))}
            </div>
          )}
          {preview.saved_mapping && <p className="muted">{t.importer.savedMapping(preview.saved_mapping)}</p>}
          <div className="form-actions top">
            {!outcome && (
              <button className="primary" data-testid="import-commit" disabled={preview.records === 0} onClick={commit}>
                {t.importer.commit(preview.records)}
              </button>
            )}
            <button onClick={saveReport} data-testid="import-report">
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
                {sheet.columns.map((c) => (
                  <tr key={c.letter}>
                    <td className="muted">{c.letter}</td>
                    <td>{c.header}</td>
                    <td>
                      <select value={c.field ?? ""} onChange={(e) => remap(c.header, (e.target.value || null) as Field | null)}>
                        <option value="">{t.importer.keepInNotes}</option>
                        {FIELDS.map((f) => (
                          <option key={f} value={f}>
                            {t.importFields[f]}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          <div className="add-row">
            <input value={mappingName} onChange={(e) => setMappingName(e.target.value)} placeholder={t.importer.mappingName} />
            <button onClick={saveMapping}>{t.importer.saveMapping}</button>
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
                        <select value={v.status_id ?? ""} onChange={(e) => restatus(v.value, Number(e.target.value))}>
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
                      <input type="checkbox" checked={c.conflict.use_incoming} onChange={(e) => toggleIncoming(c.row, c.conflict.field, e.target.checked)} />
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
              {b.undone_at ? <span className="muted">{t.importer.undone}</span> : <button onClick={() => undo(b)}>{t.importer.undo}</button>}
            </li>
          ))}
        </ul>
      )}
    </div>
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
