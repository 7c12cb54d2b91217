// 名簿の取り込み: the file, the options the office chose while checking the
// preview, the commit with progress, and the history with undo. Every call to
// Rust is here; ImportScreen lays it out. A file dropped on the window is
// read at once: App gives the screen a new key for each drop.
import { useCallback, useEffect, useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import { open, save } from "@tauri-apps/plugin-dialog";
import {
  call,
  commands,
  type Field,
  type ImportBatch,
  type ImportOutcome,
  type ImportProgress,
  type ImportPreview,
  type PlanOptions,
  type RowRef,
} from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Importer = ReturnType<typeof useImport>;

const emptyOptions: PlanOptions = {
  sheets: [],
  mapping: null,
  status_values: {},
  encoding: null,
  take_incoming: [],
  include_business: false,
  file_status: null,
};

/** The rows of each customer of a two-row sheet, from the first rows of
 * consecutive customers; the last first row has no successor to end it,
 * so it is left out rather than guessed. */
export function pairedRanges(firstRows: number[]): [number, number][] {
  return firstRows.slice(1).map((next, i) => [firstRows[i], next - 1]);
}

export function useImport(droppedFile: string | null) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [path, setPath] = useState(droppedFile ?? "");
  const [options, setOptions] = useState<PlanOptions>(emptyOptions);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [history, setHistory] = useState<ImportBatch[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const loadHistory = useCallback(() => call(commands.listImports()).then(setHistory, fail), [fail]);
  useEffect(() => void loadHistory(), [loadHistory]);
  // The previewed plan is kept for the commit; leaving the screen lets it go.
  useEffect(() => () => void commands.importForget(), []);

  /** The preview of `file` read with `opts`; a file that cannot be read shows no preview. */
  const readPreview = useCallback(
    (file: string, opts: PlanOptions) =>
      call(commands.importPreview(file, opts, null)).then(setPreview, (e: unknown) => {
        setPreview(null);
        fail(e);
      }),
    [fail],
  );

  useEffect(() => {
    if (droppedFile) void readPreview(droppedFile, emptyOptions);
  }, [droppedFile, readPreview]);

  function read(file: string, opts: PlanOptions) {
    action.clear();
    setOutcome(null);
    return readPreview(file, opts);
  }

  /** A new file starts from the importer's own suggestions. */
  function start(file: string) {
    setPath(file);
    setOptions(emptyOptions);
    return read(file, emptyOptions);
  }

  async function choose() {
    const picked = await open({
      multiple: false,
      filters: [{ name: t.importer.fileKind, extensions: ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"] }],
    });
    if (typeof picked === "string") await start(picked);
  }

  /** Reads the file again with the office's change to the options. */
  function reread(patch: Partial<PlanOptions>) {
    const next = { ...options, ...patch };
    setOptions(next);
    void read(path, next);
  }

  /** The mapping the preview shows, as the options carry it (header → field). */
  const currentMapping = () => Object.fromEntries((preview?.sheets ?? []).flatMap((s) => s.columns.map((c) => [c.header, c.field])));

  const remap = (header: string, field: Field | null) => reread({ mapping: { ...currentMapping(), [header]: field } });
  const restatus = (value: string, statusId: number) => reread({ status_values: { ...options.status_values, [value]: statusId } });
  const setFileStatus = (statusId: number | null) => reread({ file_status: statusId });
  const setIncludeBusiness = (on: boolean) => reread({ include_business: on });
  const setEncoding = (encoding: string | null) => reread({ encoding });

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
    await run(async () => {
      await call(commands.saveImportReport(path, options, dest));
      setNotice(t.importer.reportSaved(dest));
    });
  }

  async function saveMapping(name: string) {
    if (!preview || !name.trim()) return;
    await run(async () => {
      await call(commands.saveImportMapping(name, preview.header_signature, currentMapping(), options.status_values));
      setNotice(t.importer.mappingSaved);
    });
  }

  async function commit() {
    const channel = new Channel<ImportProgress>();
    channel.onmessage = setProgress;
    setProgress({ done: 0, total: preview?.records ?? 0, rows_per_second: 0, seconds_left: 0 });
    await run(async () => {
      setOutcome(await call(commands.importCommit(path, options, null, channel)));
      await reload();
    });
    setProgress(null);
    await loadHistory();
  }

  const cancel = () => void commands.importCancel();

  async function undo(batch: ImportBatch) {
    if (!window.confirm(t.importer.undoConfirm(batch.file_name))) return;
    await run(async () => {
      await call(commands.undoImport(batch.id));
      await reload();
      await loadHistory();
    });
  }

  return {
    path,
    setPath,
    options,
    preview,
    progress,
    outcome,
    history,
    error: action.error,
    notice,
    read: () => read(path, options),
    choose,
    remap,
    restatus,
    setFileStatus,
    setIncludeBusiness,
    setEncoding,
    toggleIncoming,
    toggleSheet,
    saveReport,
    saveMapping,
    commit,
    cancel,
    undo,
  };
}
