// The lists every screen needs (statuses, labels, staff, counts, settings),
// loaded once and reloaded after a change.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { call, commands, type Label, type LedgerStats, type Settings, type Staff, type Status } from "./api";

export interface LedgerData {
  statuses: Status[];
  labels: Label[];
  staff: Staff[];
  stats: LedgerStats | null;
  settings: Settings;
  /** Bumped after every write, so lists know to fetch again. */
  revision: number;
  reload: () => Promise<void>;
  saveSettings: (settings: Settings) => Promise<void>;
}

const Context = createContext<LedgerData | null>(null);

export function LedgerProvider({ initial, children }: { initial: Settings; children: ReactNode }) {
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [labels, setLabels] = useState<Label[]>([]);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [stats, setStats] = useState<LedgerStats | null>(null);
  const [settings, setSettings] = useState<Settings>(initial);
  const [revision, setRevision] = useState(0);

  const reload = useCallback(async () => {
    const [s, l, st, counts] = await Promise.all([
      call(commands.listStatuses()),
      call(commands.listLabels()),
      call(commands.listStaff()),
      call(commands.ledgerStats()),
    ]);
    setStatuses(s);
    setLabels(l);
    setStaff(st);
    setStats(counts);
    setRevision((r) => r + 1);
  }, []);

  const saveSettings = useCallback(async (next: Settings) => {
    setSettings(await call(commands.saveSettings(next)));
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Context.Provider value={{ statuses, labels, staff, stats, settings, revision, reload, saveSettings }}>
      {children}
    </Context.Provider>
  );
}

export function useLedger(): LedgerData {
  const value = useContext(Context);
  if (!value) throw new Error("useLedger outside LedgerProvider");
  return value;
}
