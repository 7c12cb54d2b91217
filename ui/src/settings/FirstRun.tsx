import { type Preset } from "../shared/api";
import { t } from "../i18n";
import { useFirstRun } from "./use-first-run";

export function FirstRun({ onDone }: { onDone: () => void }) {
  const { preset, setPreset, staffName, setStaffName, start, started, error, fieldErrors } = useFirstRun(onDone);

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
          {fieldErrors.name && <span className="error">{fieldErrors.name}</span>}
        </label>
        {error && <p className="error">{error}</p>}
        <button className="primary" data-testid="first-run-start" disabled={started} onClick={start}>
          {t.firstRun.start}
        </button>
      </div>
    </div>
  );
}
