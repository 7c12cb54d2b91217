import { useState } from "react";
import type { SyncLine } from "./sync-state";
import type { OfficeSync } from "./use-office-sync";
import { t } from "../i18n";

const s = t.office.sync;

/** The header's chip: 同期済み 12:03, 未送信 3 件, 同期が止まっています. Its
 *  tooltip, and a click (or Enter), say what the person can do about it. */
export function SyncChip({ line, error }: { line: SyncLine; error: string | null }) {
  const [open, setOpen] = useState(false);
  const tip = [line.state, line.hint, line.reason].filter(Boolean).join("\n");
  return (
    <div className="sync-state">
      <button
        className={`sync-chip ${line.tone}`}
        title={tip}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="sync-state"
        data-tone={line.tone}
      >
        <span className="sync-dot" aria-hidden />
        {line.chip}
      </button>
      {open && (
        <div className="popover sync-popover" role="dialog" aria-label={line.chip} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {line.state && <strong>{line.state}</strong>}
          <p>{line.hint}</p>
          {line.reason && <p className="muted small">{line.reason}</p>}
          {error && <p className="error small">{error}</p>}
          <button className="small-button" autoFocus onClick={() => setOpen(false)}>
            {s.close}
          </button>
        </div>
      )}
    </div>
  );
}

/** Below the header while the hub does not answer or sync stopped: the
 *  state in words and what to do, always in view; for a copy that drifted
 *  from the hub's, the button that fixes it. */
export function SyncBanner({ office }: { office: OfficeSync }) {
  const { line } = office;
  if (office.kept && line?.tone === "ok")
    return (
      <div className="sync-banner ok" role="status" data-testid="sync-repaired">
        <span>{s.repaired(office.kept)}</span>
      </div>
    );
  if (!line || line.tone === "ok") return null;
  return (
    <div className={`sync-banner ${line.tone}`} role="status" data-testid="sync-banner">
      <strong>{line.tone === "offline" ? s.offline : s.stopped}</strong>
      <span>{line.hint}</span>
      {line.tone === "stopped" && line.reason && <span className="sync-reason">{line.reason}</span>}
      {line.repairable && (
        <button className="primary small-button" disabled={office.busy} onClick={() => void office.repair()} data-testid="sync-repair">
          {s.repair}
        </button>
      )}
      {office.error && <span className="error">{office.error}</span>}
    </div>
  );
}
