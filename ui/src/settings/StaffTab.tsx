import { type Role, type Staff } from "../shared/api";
import { OptionsOf } from "../shared/Inputs";
import { NotPermitted } from "../shared/NotPermitted";
import { PinDialog, PinInput } from "../shared/PinDialog";
import { TextCell } from "./ListTabs";
import { useStaffSettings, type StaffSettings } from "./use-staff-settings";
import { t } from "../i18n";

const st = t.staffSettings;

export function StaffTab() {
  const s = useStaffSettings();
  return (
    <section>
      <h3>{t.settings.tabs.staff}</h3>
      {!s.canEdit && <NotPermitted need="staff" />}
      <table className="settings-table" data-testid="staff-table">
        <thead>
          <tr>
            <th>{t.settings.staffName}</th>
            <th>{t.settings.staffKana}</th>
            <th>{st.role}</th>
            <th>{t.settings.active}</th>
            <th>{st.pin}</th>
          </tr>
        </thead>
        <tbody>
          {s.staff.map((m) => (
            <StaffRow key={m.id} s={s} m={m} />
          ))}
        </tbody>
      </table>
      {s.error && <p className="error">{s.error}</p>}
      {s.pin.message && (
        <p className="ok" data-testid="staff-message">
          {s.pin.message}
        </p>
      )}
      {s.canEdit && <AddStaff s={s} />}
      {s.pin.member && <SetPin s={s} member={s.pin.member} />}
    </section>
  );
}

/** One member: editable by a 管理者, read by everyone else; the PIN button for whoever may set it. */
function StaffRow({ s, m }: { s: StaffSettings; m: Staff }) {
  return (
    <tr data-testid={`staff-${m.id}`}>
      {s.canEdit ? (
        <>
          <TextCell value={m.name} onSave={(name) => s.save(m, { name })} />
          <TextCell value={m.kana} onSave={(kana) => s.save(m, { kana })} />
          <td>
            <select value={m.role} onChange={(e) => s.save(m, { role: e.target.value as Role })} data-testid={`staff-role-${m.id}`}>
              <OptionsOf labels={t.roles} />
            </select>
          </td>
          <td>
            <input type="checkbox" checked={m.active} onChange={(e) => s.save(m, { active: e.target.checked })} />
          </td>
        </>
      ) : (
        <>
          <td>{m.name}</td>
          <td>{m.kana}</td>
          <td>{t.roles[m.role]}</td>
          <td>{m.active ? "✓" : ""}</td>
        </>
      )}
      <td>
        <span className={m.has_pin ? "ok" : "muted"} data-testid={`staff-has-pin-${m.id}`}>
          {m.has_pin ? st.pinSet : st.pinUnset}
        </span>{" "}
        {s.mayPin(m) && (
          <button className="small-button" onClick={() => s.pin.open(m)} data-testid={`staff-pin-${m.id}`}>
            {st.setPin}
          </button>
        )}
      </td>
    </tr>
  );
}

/** A new member: their name and, from the start, their role. */
function AddStaff({ s }: { s: StaffSettings }) {
  return (
    <form
      className="add-row"
      onSubmit={(e) => {
        e.preventDefault();
        void s.add();
      }}
    >
      <input
        value={s.newName}
        onChange={(e) => s.setNewName(e.target.value)}
        placeholder={t.settings.staffName}
        data-testid="staff-new-name"
      />
      <select value={s.newRole} onChange={(e) => s.setNewRole(e.target.value as Role)} aria-label={st.role} data-testid="staff-new-role">
        <OptionsOf labels={t.roles} />
      </select>
      <button type="submit">{t.settings.addStaff}</button>
    </form>
  );
}

function SetPin({ s, member }: { s: StaffSettings; member: Staff }) {
  return (
    <PinDialog
      title={t.pin.setTitle(member.name)}
      lead={t.pin.setLead}
      error={s.pin.error}
      submitLabel={t.pin.save}
      busy={s.pin.busy}
      onSubmit={() => void s.pin.submit()}
      onCancel={s.pin.cancel}
    >
      <PinInput label={t.pin.newPin} value={s.pin.pin} onChange={s.pin.setPin} testId="new-pin" first />
      <PinInput label={t.pin.repeat} value={s.pin.repeat} onChange={s.pin.setRepeat} testId="new-pin-repeat" />
    </PinDialog>
  );
}
