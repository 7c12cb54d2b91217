import { formatDateTime } from "../shared/format";
import { OptionsOf } from "../shared/Inputs";
import { useImport, type Importer } from "./use-import";
import { ImportPreview } from "./ImportPreview";
import { t } from "../i18n";

const isText = (path: string) => /\.(csv|tsv|txt)$/i.test(path);

/** Roster import: choose a file, check what will be saved, import with progress, undo from the history. */
export function ImportScreen({ droppedFile }: { droppedFile: string | null }) {
  const im = useImport(droppedFile);
  const { path, options, preview, progress, outcome, error, notice } = im;
  return (
    <div className="import-screen" data-testid="import-screen">
      <h2>{t.importer.title}</h2>
      <p className="muted">{t.importer.lead}</p>
      <div className="add-row">
        <input
          className="path"
          data-testid="import-path"
          placeholder={t.importer.path}
          value={path}
          onChange={(e) => im.setPath(e.target.value)}
        />
        <button onClick={() => void im.choose()}>{t.importer.choose}</button>
        <button className="primary" data-testid="import-read" disabled={!path} onClick={() => void im.read()}>
          {t.importer.read}
        </button>
      </div>
      {isText(path) && (
        <label className="inline-field">
          {t.importer.encodingLabel}
          <select
            data-testid="import-encoding"
            value={options.encoding ?? "auto"}
            onChange={(e) => im.setEncoding(e.target.value === "auto" ? null : e.target.value)}
          >
            <OptionsOf labels={t.importer.encodings} />
          </select>
        </label>
      )}
      {error && (
        <p className="error" data-testid="import-error">
          {error}
        </p>
      )}
      {notice && <p className="ok">{notice}</p>}
      <Progress im={im} />
      {outcome && (
        <div className="banner ok-banner" data-testid="import-done">
          {t.importer.done(outcome.created, outcome.merged)}
        </div>
      )}
      {preview && !progress && <ImportPreview im={im} preview={preview} />}
      <History im={im} />
    </div>
  );
}

function Progress({ im }: { im: Importer }) {
  const { progress } = im;
  if (!progress) return null;
  return (
    <div className="progress" data-testid="import-progress">
      <strong>{t.importer.running}</strong>
      <progress max={progress.total || 1} value={progress.done} />
      <span>{t.importer.progress(progress.done, progress.total)}</span>
      <span className="muted">{t.importer.speed(progress.rows_per_second, progress.seconds_left)}</span>
      <button onClick={im.cancel}>{t.importer.cancel}</button>
    </div>
  );
}

function History({ im }: { im: Importer }) {
  return (
    <>
      <h3>{t.importer.history}</h3>
      {im.history.length === 0 ? (
        <p className="muted">{t.importer.noHistory}</p>
      ) : (
        <ul className="backup-list" data-testid="import-history">
          {im.history.map((b) => (
            <li key={b.id}>
              <span>{formatDateTime(b.imported_at)}</span>
              <span>{b.file_name}</span>
              <span className="muted">{t.importer.batchLine(b.created, b.merged)}</span>
              {b.undone_at ? (
                <span className="muted">{t.importer.undone}</span>
              ) : (
                <button onClick={() => void im.undo(b)}>{t.importer.undo}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
