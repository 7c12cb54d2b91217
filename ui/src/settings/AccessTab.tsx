import type { Role } from "../shared/api";
import { NotPermitted } from "../shared/NotPermitted";
import { useAccessSettings } from "./use-access-settings";
import { t } from "../i18n";

const ROLES = Object.keys(t.roles) as Role[];

export function AccessTab() {
  const a = useAccessSettings();
  const { draft, fieldErrors } = a;
  const at = t.access;
  return (
    <section data-testid="access-tab">
      <h3>{t.settings.tabs.access}</h3>
      {!a.canEdit && <NotPermitted need="staff" />}
      {draft && (
        <fieldset className="bare" disabled={!a.canEdit}>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.sign_in_required}
              onChange={(e) => a.change({ sign_in_required: e.target.checked })}
              data-testid="access-sign-in"
            />
            {at.signIn}
          </label>
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
          <label className="check">
            <input
              type="checkbox"
              checked={draft.sales_may_export}
              onChange={(e) => a.change({ sales_may_export: e.target.checked })}
              data-testid="access-sales-export"
            />
            {at.salesMayExport}
          </label>
          <div className="setting-block">
            <strong>{at.sensitiveRoles}</strong>
            <div className="add-row">
              {ROLES.map((role) => (
                <label key={role} className="check inline">
                  <input
                    type="checkbox"
                    checked={draft.sensitive_roles.includes(role)}
                    onChange={(e) => a.toggleSensitive(role, e.target.checked)}
                    data-testid={`access-sensitive-${role}`}
                  />
                  {t.roles[role]}
                </label>
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
      )}
      {a.error && <p className="error">{a.error}</p>}
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
    </section>
  );
}
