import { useState } from "react";
import { call, commands } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useWrite } from "./use-write";
import { t } from "../i18n";

export function GeneralTab({ ledgerPath }: { ledgerPath: string }) {
  const { settings, saveSettings } = useLedger();
  const { error, write } = useWrite();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section>
      <h3>{t.settings.tabs.general}</h3>
      <label className="check">
        <input
          type="checkbox"
          data-testid="important-rule"
          checked={settings.auto_important_label}
          onChange={(e) => write(() => saveSettings({ ...settings, auto_important_label: e.target.checked }))}
        />
        {t.settings.importantRule}
      </label>
      <div className="setting-block">
        <button
          data-testid="sample-data"
          onClick={() => write(async () => setMessage(t.settings.sampleDone(await call(commands.addSampleData(300)))))}
        >
          {t.settings.sample}
        </button>
        <p className="muted">{t.settings.sampleHint}</p>
        {message && <p className="ok">{message}</p>}
      </div>
      <div className="setting-block">
        <strong>{t.settings.ledgerPath}</strong>
        <p className="muted mono">{ledgerPath}</p>
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
