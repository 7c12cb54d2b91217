// The first-run screen's state and IPC: the status preset, the name of the
// person at this PC, and starting the ledger.
import { useState } from "react";
import { call, commands, type Preset } from "../shared/api";
import { useAction } from "../shared/use-action";

export function useFirstRun(onDone: () => void) {
  const [preset, setPreset] = useState<Preset>("builder");
  const [staffName, setStaffName] = useState("");
  const action = useAction();
  // Stays set once the ledger is ready, so the button cannot start it twice.
  const [started, setStarted] = useState(false);

  async function start() {
    setStarted(true);
    const done = await action.run(async () => {
      await call(commands.applyPreset(preset));
      const current = staffName.trim() ? await staffId(staffName.trim()) : null;
      const status = await commands.appStatus();
      if (current !== null) await call(commands.signIn(current, null));
      if (status.settings) {
        await call(commands.saveSettings({ ...status.settings, first_run_done: true }));
      }
      return true;
    });
    if (done) onDone();
    else setStarted(false);
  }

  return { preset, setPreset, staffName, setStaffName, start, started, error: action.error, fieldErrors: action.fieldErrors };
}

/** The staff member of that name: the one a ledger made elsewhere already
 * holds (an import, `daicho sample`), or a new one. */
async function staffId(name: string): Promise<number> {
  const existing = (await call(commands.listStaff())).find((s) => s.name === name);
  if (existing) return existing.id;
  // The first member of an office becomes its 管理者 (the ledger sees to it).
  return (await call(commands.saveStaff({ id: null, name, kana: "", active: true, role: "admin" }))).id;
}
