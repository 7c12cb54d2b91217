// The erase (消去) and disclose (開示) actions of one customer: the state of
// their confirmations and every call to Rust. PrivacyActions lays it out.
import { useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, type BackupInfo, type ErasurePreview, type ErasureReport } from "../shared/api";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Privacy = ReturnType<typeof usePrivacy>;

export function usePrivacy(customerId: number, fileStem: string, onDisclosed: () => void) {
  const [preview, setPreview] = useState<ErasurePreview | null>(null);
  const [reason, setReason] = useState("");
  const [report, setReport] = useState<ErasureReport | null>(null);
  const [freshBackup, setFreshBackup] = useState<BackupInfo | null>(null);
  const [disclosedTo, setDisclosedTo] = useState<string | null>(null);
  const { busy, error, run, clear } = useAction();

  /** Asks what the erasure would remove, which opens the confirmation. */
  const askErase = () => run(async () => setPreview(await call(commands.erasurePreview(customerId))));

  const cancelErase = () => {
    setPreview(null);
    setReason("");
    clear();
  };

  const erase = () =>
    run(async () => {
      setReport(await call(commands.eraseCustomer(customerId, reason)));
      setPreview(null);
    });

  const backupNow = () => run(async () => setFreshBackup(await call(commands.backupNow())));

  /** Asks where to save; the save dialog itself confirms replacing a file. */
  const disclose = () =>
    run(async () => {
      const dest = await save({ defaultPath: t.privacy.discloseFile(fileStem), filters: [{ name: "Excel", extensions: ["xlsx"] }] });
      if (!dest) return;
      const done = await call(commands.discloseCustomer(customerId, dest, true));
      setDisclosedTo(done.file);
      onDisclosed();
    });

  return { preview, reason, setReason, report, freshBackup, disclosedTo, busy, error, askErase, cancelErase, erase, backupNow, disclose };
}
