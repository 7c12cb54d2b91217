import type { BackupInfo, Held } from "../shared/api";
import { formatDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import type { Privacy } from "./use-privacy";
import { t } from "../i18n";

/** The rows an erasure removes (or removed), zero counts left out. */
function HeldList({ held }: { held: Held }) {
  const parts = (Object.keys(t.privacy.held) as (keyof typeof t.privacy.held)[]).filter((k) => held[k] > 0);
  return (
    <ul data-testid="erase-held">
      <li>{t.privacy.record}</li>
      {parts.map((k) => (
        <li key={k}>{t.privacy.held[k](held[k])}</li>
      ))}
    </ul>
  );
}

function Backups({ backups, kept }: { backups: BackupInfo[]; kept: number }) {
  if (backups.length === 0) return <p className="muted small">{t.privacy.noBackups}</p>;
  return (
    <>
      <p className="small">{t.privacy.backupsHold(kept)}</p>
      <ul className="small" data-testid="erase-backups">
        {backups.map((b) => (
          <li key={b.path}>
            {formatDateTime(b.created_at)} {b.file_name}
          </li>
        ))}
      </ul>
    </>
  );
}

/** 開示 and 消去 on the customer detail, with the erasure's confirmation and
 *  what it left behind. */
export function PrivacyActions({ privacy, name, onErased }: { privacy: Privacy; name: string; onErased: () => void }) {
  const p = privacy;
  if (p.report) {
    const r = p.report;
    return (
      <div className="banner ok" data-testid="erase-done">
        <p>{t.privacy.erased(r.erasure.customer_id)}</p>
        <HeldList held={r.removed} />
        {r.removed.referred > 0 && <p className="small">{t.privacy.referred(r.removed.referred)}</p>}
        {!r.scrubbed && <p className="error">{t.privacy.notScrubbed}</p>}
        <Backups backups={r.backups} kept={r.backups_kept} />
        {p.freshBackup ? (
          <p className="small" data-testid="erase-fresh-backup">
            {t.privacy.backedUp(p.freshBackup.file_name)}
          </p>
        ) : (
          <button onClick={() => void p.backupNow()} disabled={p.busy} data-testid="erase-backup-now">
            {t.privacy.backupNow}
          </button>
        )}
        {p.error && <p className="error">{p.error}</p>}
        <button onClick={onErased} data-testid="erase-close">
          {t.privacy.close}
        </button>
      </div>
    );
  }
  if (p.preview) {
    return (
      <div className="banner warn" data-testid="erase-confirm">
        <p>
          <strong>{t.privacy.confirmTitle(name)}</strong>
        </p>
        <p className="small">{t.privacy.confirmWhat}</p>
        <HeldList held={p.preview.held} />
        {p.preview.held.referred > 0 && <p className="small">{t.privacy.referred(p.preview.held.referred)}</p>}
        <Backups backups={p.preview.backups} kept={p.preview.backups_kept} />
        <label>
          {t.privacy.reason}
          <input
            value={p.reason}
            onChange={(e) => p.setReason(e.target.value)}
            placeholder={t.privacy.reasonHint}
            data-testid="erase-reason"
          />
        </label>
        {p.error && <p className="error">{p.error}</p>}
        <button onClick={() => void p.erase()} disabled={p.busy || p.reason.trim() === ""} data-testid="erase-confirm-button">
          {t.privacy.confirmErase}
        </button>{" "}
        <button onClick={p.cancelErase} disabled={p.busy}>
          {t.privacy.cancel}
        </button>
      </div>
    );
  }
  return <PrivacyButtons p={p} />;
}

/** 開示 and 消去, each shown to the roles that may do it. */
function PrivacyButtons({ p }: { p: Privacy }) {
  const { may } = useLedger();
  return (
    <div>
      {may("disclose") && (
        <button onClick={() => void p.disclose()} disabled={p.busy} data-testid="disclose">
          {t.privacy.disclose}
        </button>
      )}{" "}
      {may("erase") && (
        <button onClick={() => void p.askErase()} disabled={p.busy} data-testid="erase">
          {t.privacy.erase}
        </button>
      )}
      {p.disclosedTo && (
        <p className="small" data-testid="disclosed">
          {t.privacy.disclosed(p.disclosedTo)}
        </p>
      )}
      {p.error && <p className="error">{p.error}</p>}
    </div>
  );
}
