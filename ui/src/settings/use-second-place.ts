// The second place for backups: its status (with the warning Today and
// Settings show), saving the folder, and the copy-now button.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type BackupInfo, type SecondPlaceSettings, type SecondPlaceStatus } from "../shared/api";
import { useAction } from "../shared/use-action";

export function useSecondPlace() {
  const action = useAction();
  const { run, fail } = action;
  const [status, setStatus] = useState<SecondPlaceStatus | null>(null);
  const [copying, setCopying] = useState(false);
  const [copied, setCopied] = useState<BackupInfo | null>(null);

  const refresh = useCallback(() => call(commands.secondPlaceStatus()).then(setStatus, fail), [fail]);
  useEffect(() => void refresh(), [refresh]);

  /** Resolves to true once saved; a refused folder's reason shows beside it. */
  const save = (settings: SecondPlaceSettings) =>
    run(async () => {
      setStatus(await call(commands.saveSecondPlace(settings)));
      return true;
    });

  /** Copies now; the plugged-back drive catches up without a restart. */
  async function copyNow() {
    setCopied(null);
    setCopying(true);
    await run(async () => setCopied(await call(commands.backupToSecondPlace())));
    setCopying(false);
    await refresh();
  }

  return { status, error: action.error, fieldErrors: action.fieldErrors, copying, copied, save, copyNow, refresh };
}
