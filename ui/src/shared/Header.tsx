import { useEffect, useRef, useState } from "react";
import { shouldQuery, type ImeGuard } from "./ime";
import { useLedger } from "./ledger-context";
import { useStaffSwitch } from "./use-staff-switch";
import { PinDialog, PinInput } from "./PinDialog";
import { SyncChip } from "../office/SyncState";
import type { OfficeSync } from "../office/use-office-sync";
import { t } from "../i18n";
import type { View } from "../App";

export function Header({
  view,
  onView,
  onSearch,
  onNew,
  office,
}: {
  view: View;
  onView: (v: View) => void;
  onSearch: (text: string) => void;
  onNew: () => void;
  /** Where this PC stands with the office hub, and the inbox's count. */
  office: OfficeSync;
}) {
  const { may } = useLedger();
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
      <NavTabs view={view} onView={onView} inbox={office.inOffice || office.count > 0 ? office.count : null} />
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
      {may("customers") && (
        <button className="primary" onClick={onNew} data-testid="new-customer">
          {t.nav.newCustomer}
        </button>
      )}
      {office.line && <SyncChip line={office.line} error={office.error} />}
      <StaffPicker />
    </header>
  );
}

const VIEWS = ["today", "inbox", "customers", "requests", "dm", "import", "analytics", "settings"] as const;

/** `inbox`: the count of changes to check, or null while this ledger is on its own (no entry). */
function NavTabs({ view, onView, inbox }: { view: View; onView: (v: View) => void; inbox: number | null }) {
  const { today, may } = useLedger();
  const todayCount = today?.due ?? 0;
  return (
    <nav>
      {VIEWS.filter((v) => (v !== "import" || may("import")) && (v !== "inbox" || inbox !== null)).map((v) => (
        <button
          key={v}
          className={view === v ? "tab active" : "tab"}
          onClick={() => onView(v)}
          title={v === "inbox" ? t.office.inbox.title : undefined}
          data-testid={`nav-${v}`}
        >
          {t.nav[v]}
          {v === "today" && todayCount > 0 && (
            <span className="badge" data-testid="today-badge">
              {todayCount}
            </span>
          )}
          {v === "inbox" && inbox !== null && inbox > 0 && (
            <span className="badge" data-testid="inbox-badge">
              {inbox}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}

/** Who is working (every write records them) and their role; with sign-in
 *  on, switching asks for the other person's PIN, and ロック signs out. */
function StaffPicker() {
  const { staff } = useLedger();
  const s = useStaffSwitch();
  const acting = s.session.acting;
  const me = acting?.staff_id ?? null;
  return (
    <div className="staff-picker">
      <label>
        <span>{t.header.staff}</span>
        <select
          data-testid="current-staff"
          value={me ?? ""}
          onChange={(e) => {
            const member = staff.find((m) => m.id === Number(e.target.value));
            if (member) s.choose(member);
          }}
        >
          {me === null && <option value="">{t.header.noStaff}</option>}
          {staff
            .filter((m) => m.active || m.id === me)
            .map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
        </select>
      </label>
      {acting && (
        <span className="role-chip" data-testid="current-role">
          {t.roles[acting.role]}
        </span>
      )}
      {s.session.sign_in_required && (
        <button className="ghost" onClick={() => void s.lock()} title={t.header.lockHint} data-testid="lock">
          {t.header.lock}
        </button>
      )}
      {s.error && !s.asking && <span className="error small">{s.error}</span>}
      {s.asking && (
        <PinDialog
          title={t.pin.switchTitle(s.asking.name)}
          lead={t.pin.switchLead}
          error={s.error}
          submitLabel={t.pin.switch}
          busy={s.busy}
          onSubmit={() => void s.confirm()}
          onCancel={s.cancel}
        >
          <PinInput label={t.pin.pin} value={s.pin} onChange={s.setPin} testId="switch-pin" first />
        </PinDialog>
      )}
    </div>
  );
}
