import { useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { call, commands, messageOf, type AppStatus, type BackupInfo } from "../shared/api";
import { formatDateTime } from "../shared/format";
import { t } from "../i18n";

/** Shown instead of the ledger when it could not be opened: says why and offers a backup. */
export function OpenError({ status, onRestored }: { status: AppStatus; onRestored: () => void }) {
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    commands.listBackups().then((r) => r.status === "ok" && setBackups(r.data));
  }, []);

  async function restore(path: string) {
    try {
      await call(commands.restoreBackup(path));
      onRestored();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function copyHere() {
    try {
      await call(commands.copyLedgerToThisPc());
      onRestored();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function chooseFile() {
    const picked = await open({ multiple: false, filters: [{ name: "Daichō", extensions: ["sqlite3", "db", "sqlite"] }] });
    if (typeof picked === "string") await restore(picked);
  }

  return (
    <div className="first-run">
      <div className="card" data-testid="open-error">
        <h1>{t.openError.title}</h1>
        <p className="error">{status.open_error?.message}</p>
        <p className="muted">{status.ledger_path}</p>
        {status.open_error?.code === "ledger_not_local" && (
          <>
            <h2>{t.openError.copyLead}</h2>
            <button className="primary" onClick={copyHere} data-testid="copy-to-this-pc">
              {t.openError.copyHere}
            </button>
          </>
        )}
        <h2>{t.openError.restoreLead}</h2>
        {backups.length === 0 && <p className="muted">{t.settings.noBackups}</p>}
        <ul className="backup-list">
          {backups.map((b) => (
            <li key={b.path}>
              <span>{formatDateTime(b.created_at)}</span>
              <span className="muted">{b.file_name}</span>
              <button onClick={() => restore(b.path)}>{t.settings.restore}</button>
            </li>
          ))}
        </ul>
        <button onClick={chooseFile}>{t.openError.chooseFile}</button>
        {error && <p className="error">{error}</p>}
      </div>
    </div>
  );
}
