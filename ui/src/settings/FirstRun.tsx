import { useState } from "react";
import { call, commands, type Preset } from "../shared/api";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export function FirstRun({ onDone }: { onDone: () => void }) {
  const [preset, setPreset] = useState<Preset>("builder");
  const [staffName, setStaffName] = useState("");
  const { error, run } = useAction();
  // Stays set once the ledger is ready, so the button cannot start it twice.
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    const done = await run(async () => {
      await call(commands.applyPreset(preset));
      let current: number | null = null;
      if (staffName.trim()) {
        current = (await call(commands.saveStaff({ id: null, name: staffName, kana: "", active: true }))).id;
      }
      const status = await commands.appStatus();
      if (status.settings) {
        await call(commands.saveSettings({ ...status.settings, first_run_done: true, current_staff_id: current }));
      }
      return true;
    });
    if (done) onDone();
    else setBusy(false);
  }

  const option = (value: Preset, title: string, hint: string) => (
    <label className={`preset ${preset === value ? "chosen" : ""}`} data-testid={`preset-${value}`}>
      <input type="radio" name="preset" checked={preset === value} onChange={() => setPreset(value)} />
      <strong>{title}</strong>
      <span>{hint}</span>
    </label>
  );

  return (
    <div className="first-run">
      <div className="card">
        <h1>{t.firstRun.title}</h1>
        <p>{t.firstRun.lead}</p>
        <div className="presets">
          {option("builder", t.firstRun.builder, t.firstRun.builderHint)}
          {option("renovation", t.firstRun.renovation, t.firstRun.renovationHint)}
        </div>
        <label className="field">
          <span>{t.firstRun.staff}</span>
          <input
            data-testid="first-run-staff"
            value={staffName}
            onChange={(e) => setStaffName(e.target.value)}
            placeholder={t.firstRun.staffExample}
          />
        </label>
        {error && <p className="error">{error}</p>}
        <button className="primary" data-testid="first-run-start" disabled={busy} onClick={start}>
          {t.firstRun.start}
        </button>
      </div>
    </div>
  );
}
