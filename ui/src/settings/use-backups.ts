// Settings → バックアップ: the copies in both places, copying now, and a
// restore from a listed copy or a chosen file.
import { useCallback, useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { call, commands, type BackupInfo } from "../shared/api";
import { useWrite } from "./use-write";
import { t } from "../i18n";

export function useBackups() {
  const action = useWrite();
  const { write, fail } = action;
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(() => call(commands.listAllBackups()).then(setBackups, fail), [fail]);
  useEffect(() => void refresh(), [refresh]);

  async function restore(path: string, name: string) {
    if (!window.confirm(t.settings.restoreConfirm(name))) return;
    await write(async () => {
      await call(commands.restoreBackup(path));
      setMessage(t.settings.restored);
    });
    await refresh();
  }

  async function chooseFile() {
    const picked = await open({ multiple: false, filters: [{ name: t.settings.ledgerFileKind, extensions: ["sqlite3", "db", "sqlite"] }] });
    if (typeof picked === "string") await restore(picked, picked);
  }

  const backupNow = () =>
    write(async () => {
      await call(commands.backupNow());
      await refresh();
    });

  return { ...action, backups, message, refresh, restore, chooseFile, backupNow };
}
