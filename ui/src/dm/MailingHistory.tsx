import { formatDateTime } from "../shared/format";
import type { Mailings } from "./use-mailings";
import { t } from "../i18n";

/** Every DM list written, with the file's fingerprint. */
export function MailingHistory({ history }: { history: Mailings }) {
  const { mailings, error } = history;
  return (
    <section>
      <h3>{t.dm.history}</h3>
      {error && <p className="error">{error}</p>}
      {mailings.length === 0 ? (
        <p className="muted">{t.dm.noHistory}</p>
      ) : (
        <ul className="backup-list" data-testid="dm-history">
          {mailings.map((m) => (
            <li key={m.id}>
              <span>{formatDateTime(m.exported_at)}</span>
              <span>{m.record.campaign}</span>
              <span>{m.record.file_name}</span>
              <span className="muted">{t.dm.rows(m.record.rows)}</span>
              <span className="muted mono small">{t.dm.fingerprint(m.sha256)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
