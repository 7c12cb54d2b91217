// Settings → 持ち出し記録: every file that left with customer data, and every
// erasure and restore, newest first, as the ledger recorded them.
import { useEffect, useState } from "react";
import { call, commands, type ExportEntry } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

/** The newest entries shown; the CLI's `daicho exports` lists more. */
export const EXPORT_LOG_LIMIT = 500;

export function useExportLog() {
  const { revision } = useLedger();
  const [entries, setEntries] = useState<ExportEntry[] | null>(null);
  const { error, fail } = useAction();

  useEffect(() => {
    call(commands.exportLog(EXPORT_LOG_LIMIT)).then(setEntries, fail);
  }, [fail, revision]);

  return { entries, error };
}
