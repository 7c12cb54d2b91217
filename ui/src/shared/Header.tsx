import { useEffect, useRef, useState } from "react";
import { shouldQuery, type ImeGuard } from "./ime";
import { useLedger } from "./ledger-context";
import { t } from "../i18n";
import type { View } from "../App";

export function Header({ view, onView, onSearch, onNew }: { view: View; onView: (v: View) => void; onSearch: (text: string) => void; onNew: () => void }) {
  const { staff, settings, saveSettings, todayCount } = useLedger();
  const [text, setText] = useState("");
  const guard = useRef<ImeGuard>({ composing: false });
  const timer = useRef<number | undefined>(undefined);

  // A short pause before searching keeps typing smooth on large ledgers.
  function schedule(value: string) {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => onSearch(value), 150);
  }
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return (
    <header className="header">
      <div className="brand">
        <img src="/icon.png" alt="" />
        <span>{t.app.title}</span>
      </div>
      <nav>
        <button className={view === "today" ? "tab active" : "tab"} onClick={() => onView("today")} data-testid="nav-today">
          {t.nav.today}
          {todayCount > 0 && <span className="badge" data-testid="today-badge">{todayCount}</span>}
        </button>
        <button className={view === "customers" ? "tab active" : "tab"} onClick={() => onView("customers")} data-testid="nav-customers">
          {t.nav.customers}
        </button>
        <button className={view === "dm" ? "tab active" : "tab"} onClick={() => onView("dm")} data-testid="nav-dm">
          {t.nav.dm}
        </button>
        <button className={view === "import" ? "tab active" : "tab"} onClick={() => onView("import")} data-testid="nav-import">
          {t.nav.import}
        </button>
        <button className={view === "analytics" ? "tab active" : "tab"} onClick={() => onView("analytics")} data-testid="nav-analytics">
          {t.nav.analytics}
        </button>
        <button className={view === "settings" ? "tab active" : "tab"} onClick={() => onView("settings")} data-testid="nav-settings">
          {t.nav.settings}
        </button>
      </nav>
      <input
        className="search"
        type="search"
        data-testid="search"
        placeholder={t.header.search}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (shouldQuery(guard.current, { type: "input", isComposing: (e.nativeEvent as InputEvent).isComposing })) schedule(e.target.value);
        }}
        onCompositionStart={() => shouldQuery(guard.current, { type: "compositionstart" })}
        onCompositionEnd={(e) => {
          if (shouldQuery(guard.current, { type: "compositionend" })) schedule(e.currentTarget.value);
        }}
      />
      <button className="primary" onClick={onNew} data-testid="new-customer">
        {t.nav.newCustomer}
      </button>
      <label className="staff-picker">
        <span>{t.header.staff}</span>
        <select
          data-testid="current-staff"
          value={settings.current_staff_id ?? ""}
          onChange={(e) => void saveSettings({ ...settings, current_staff_id: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">{t.header.noStaff}</option>
          {staff
            .filter((s) => s.active || s.id === settings.current_staff_id)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </label>
    </header>
  );
}
