import type { Role } from "../shared/api";
import { NotPermitted } from "../shared/NotPermitted";
import { useAccessSettings, type Access } from "./use-access-settings";
import { t } from "../i18n";

const ROLES = Object.keys(t.roles) as Role[];
const at = t.access;

export function AccessTab() {
  const a = useAccessSettings();
  return (
    <section data-testid="access-tab">
      <h3>{t.settings.tabs.access}</h3>
      {!a.canEdit && <NotPermitted need="staff" />}
      {a.draft && <AccessForm a={a} />}
      {a.error && <p className="error">{a.error}</p>}
      <RulesTable a={a} />
    </section>
  );
}

/** The office's choices, read-only for whoever may not change staff. */
function AccessForm({ a }: { a: Access }) {
  const { draft, fieldErrors } = a;
  if (!draft) return null;
  return (
    <fieldset className="bare" disabled={!a.canEdit}>
      <Check
        label={at.signIn}
        checked={draft.sign_in_required}
        onChange={(on) => a.change({ sign_in_required: on })}
        testId="access-sign-in"
      />
      <p className="muted small">{at.signInHint}</p>
      {fieldErrors.sign_in_required && (
        <p className="error" data-testid="access-sign-in-error">
          {fieldErrors.sign_in_required}
        </p>
      )}
      <label className="inline-field">
        {at.idleMinutes}
        <input
          type="number"
          min={1}
          max={480}
          value={draft.idle_lock_minutes}
          onChange={(e) => a.change({ idle_lock_minutes: Number(e.target.value) })}
          data-testid="access-idle-minutes"
        />
        {at.minutes}
      </label>
      {fieldErrors.idle_lock_minutes && <p className="error">{fieldErrors.idle_lock_minutes}</p>}
      <Check
        label={at.salesMayExport}
        checked={draft.sales_may_export}
        onChange={(on) => a.change({ sales_may_export: on })}
        testId="access-sales-export"
      />
      <div className="setting-block">
        <strong>{at.sensitiveRoles}</strong>
        <div className="add-row">
          {ROLES.map((role) => (
            <Check
              key={role}
              label={t.roles[role]}
              checked={draft.sensitive_roles.includes(role)}
              onChange={(on) => a.toggleSensitive(role, on)}
              testId={`access-sensitive-${role}`}
              inline
            />
          ))}
        </div>
      </div>
      {a.canEdit && (
        <div className="add-row">
          <button className="primary" onClick={() => void a.save()} disabled={a.busy} data-testid="access-save">
            {at.save}
          </button>
          {a.saved && (
            <span className="ok" data-testid="access-saved">
              {at.saved}
            </span>
          )}
        </div>
      )}
    </fieldset>
  );
}

function Check({
  label,
  checked,
  onChange,
  testId,
  inline = false,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  testId: string;
  inline?: boolean;
}) {
  return (
    <label className={inline ? "check inline" : "check"}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
    </label>
  );
}

/** Who may do what under the office's current choices, as the ledger enforces it. */
function RulesTable({ a }: { a: Access }) {
  return (
    <>
      <h3>{at.rulesTitle}</h3>
      <table className="settings-table" data-testid="access-rules">
        <thead>
          <tr>
            <th>{at.action}</th>
            {ROLES.map((role) => (
              <th key={role}>{t.roles[role]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {a.rules.map((rule) => (
            <tr key={rule.need}>
              <td>{rule.action}</td>
              {ROLES.map((role) => (
                <td key={role}>{rule.roles.includes(role) ? at.allowed : ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
