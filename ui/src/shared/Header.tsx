import { useEffect, useRef, useState } from "react";
import { shouldQuery, type ImeGuard } from "./ime";
import { useLedger } from "./ledger-context";
import { t } from "../i18n";
import type { View } from "../App";

export function Header({
  view,
  onView,
  onSearch,
  onNew,
}: {
  view: View;
  onView: (v: View) => void;
  onSearch: (text: string) => void;
  onNew: () => void;
}) {
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
      <NavTabs view={view} onView={onView} />
      <input
        className="search"
        type="search"
        data-testid="search"
        placeholder={t.header.search}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (shouldQuery(guard.current, { type: "input", isComposing: (e.nativeEvent as InputEvent).isComposing }))
            schedule(e.target.value);
        }}
        onCompositionStart={() => shouldQuery(guard.current, { type: "compositionstart" })}
        onCompositionEnd={(e) => {
          if (shouldQuery(guard.current, { type: "compositionend" })) schedule(e.currentTarget.value);
        }}
      />
      <button className="primary" onClick={onNew} data-testid="new-customer">
        {t.nav.newCustomer}
      </button>
      <StaffPicker />
    </header>
  );
}

const VIEWS = ["today", "customers", "requests", "dm", "import", "analytics", "settings"] as const;

function NavTabs({ view, onView }: { view: View; onView: (v: View) => void }) {
  const { todayCount } = useLedger();
  return (
    <nav>
      {VIEWS.map((v) => (
        <button key={v} className={view === v ? "tab active" : "tab"} onClick={() => onView(v)} data-testid={`nav-${v}`}>
          {t.nav[v]}
          {v === "today" && todayCount > 0 && (
            <span className="badge" data-testid="today-badge">
              {todayCount}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}

/** Who is working: every write records them. */
function StaffPicker() {
  const { staff, settings, switchStaff } = useLedger();
  return (
    <label className="staff-picker">
      <span>{t.header.staff}</span>
      <select
        data-testid="current-staff"
        value={settings.current_staff_id ?? ""}
        onChange={(e) => e.target.value && void switchStaff(Number(e.target.value), null)}
      >
        {settings.current_staff_id === null && <option value="">{t.header.noStaff}</option>}
        {staff
          .filter((s) => s.active || s.id === settings.current_staff_id)
          .map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
      </select>
    </label>
  );
}
