import { formatDateTime } from "../shared/format";
import { SecondPlaceSection } from "./SecondPlace";
import { useBackups } from "./use-backups";
import { t } from "../i18n";

export function BackupsTab() {
  const b = useBackups();
  return (
    <section>
      <h3>{t.settings.tabs.backups}</h3>
      <p className="muted">{t.settings.backupHint}</p>
      <div className="add-row">
        <button onClick={() => void b.backupNow()}>{t.settings.backupNow}</button>
        <button onClick={() => void b.chooseFile()}>{t.settings.restoreFile}</button>
      </div>
      {b.message && <p className="ok">{b.message}</p>}
      {b.error && <p className="error">{b.error}</p>}
      {b.backups.length === 0 ? (
        <p className="muted">{t.settings.noBackups}</p>
      ) : (
        <ul className="backup-list" data-testid="backup-list">
          {b.backups.map((backup) => (
            <li key={backup.path}>
              <span>{formatDateTime(backup.created_at)}</span>
              <span className="muted">{t.secondPlace.places[backup.place]}</span>
              <span className="muted">{backup.file_name}</span>
              <span className="muted">{t.settings.size(backup.size_bytes)}</span>
              <button onClick={() => void b.restore(backup.path, backup.file_name)}>{t.settings.restore}</button>
            </li>
          ))}
        </ul>
      )}
      <SecondPlaceSection onCopied={() => void b.refresh()} />
    </section>
  );
}
