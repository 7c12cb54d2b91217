// The second place for backups: its status (with the warning Today and
// Settings show), saving the folder, and the copy-now button.
import { useCallback, useEffect, useState } from "react";
import { ApiError, call, commands, messageOf, type BackupInfo, type SecondPlaceSettings, type SecondPlaceStatus } from "../shared/api";
import { t } from "../i18n";

export function useSecondPlace() {
  const [status, setStatus] = useState<SecondPlaceStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [copying, setCopying] = useState(false);
  const [copied, setCopied] = useState<BackupInfo | null>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await call(commands.secondPlaceStatus()));
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function save(settings: SecondPlaceSettings) {
    setError(null);
    setFieldErrors({});
    try {
      setStatus(await call(commands.saveSecondPlace(settings)));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setFieldErrors(e.fieldMessages());
      else setError(messageOf(e, t.errors.unexpected));
      return false;
    }
  }

  /** Copies now; the plugged-back drive catches up without a restart. */
  async function copyNow() {
    setError(null);
    setCopied(null);
    setCopying(true);
    try {
      setCopied(await call(commands.backupToSecondPlace()));
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    } finally {
      setCopying(false);
      await refresh();
    }
  }

  return { status, error, fieldErrors, copying, copied, save, copyNow, refresh };
}
