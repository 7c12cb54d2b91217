import type { ReactNode } from "react";
import { t } from "../i18n";

/** A small dialog asking for a PIN (switching staff, setting a PIN): Enter confirms, Esc cancels. */
export function PinDialog({
  title,
  lead,
  error,
  submitLabel,
  busy,
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  lead: string;
  error: string | null;
  submitLabel: string;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <form
        className="modal"
        role="dialog"
        aria-label={title}
        data-testid="pin-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h3>{title}</h3>
        <p className="muted small">{lead}</p>
        {children}
        {error && (
          <p className="error" data-testid="pin-error">
            {error}
          </p>
        )}
        <div className="add-row">
          <button className="primary" type="submit" disabled={busy} data-testid="pin-submit">
            {submitLabel}
          </button>
          <button type="button" onClick={onCancel} data-testid="pin-cancel">
            {t.pin.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A PIN field of the dialog. */
export function PinInput({
  label,
  value,
  onChange,
  testId,
  first = false,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  /** Takes the focus as the dialog opens. */
  first?: boolean;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        autoComplete="off"
        autoFocus={first}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}
