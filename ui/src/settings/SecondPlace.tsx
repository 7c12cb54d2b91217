import { useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { formatDateTime } from "../shared/format";
import { useSecondPlace } from "./use-second-place";
import { t } from "../i18n";

/** Settings → バックアップ: the folder on another disk, how many copies it keeps, and its state. */
export function SecondPlaceSection({ onCopied }: { onCopied: () => void }) {
  const place = useSecondPlace();
  const { status } = place;
  // What the office typed, over the saved settings it was typed against.
  const [typed, setTyped] = useState<{ against: typeof status; folder: string; keep: number } | null>(null);
  const current = typed?.against === status ? typed : null;
  const folder = current?.folder ?? status?.settings.folder ?? "";
  const keep = current?.keep ?? status?.settings.keep ?? 14;
  const setFolder = (next: string) => setTyped({ against: status, folder: next, keep });
  const setKeep = (next: number) => setTyped({ against: status, folder, keep: next });

  async function choose() {
    const picked = await open({ directory: true, multiple: false });
    if (typeof picked === "string") setFolder(picked);
  }

  async function copyNow() {
    await place.copyNow();
    onCopied();
  }

  if (!status) return null;
  const chosen = status.settings.folder;
  return (
    <section className="second-place" data-testid="second-place">
      <h3>{t.secondPlace.title}</h3>
      <p className="muted">{t.secondPlace.lead}</p>
      <label>
        {t.secondPlace.folder}
        <div className="add-row">
          <input value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="second-place-folder" />
          <button onClick={() => void choose()}>{t.secondPlace.choose}</button>
        </div>
      </label>
      {place.fieldErrors.folder && <p className="error">{place.fieldErrors.folder}</p>}
      <label>
        {t.secondPlace.keep}
        <input
          type="number"
          min={1}
          max={365}
          value={keep}
          onChange={(e) => setKeep(Number(e.target.value))}
          data-testid="second-place-keep"
        />
      </label>
      {place.fieldErrors.keep && <p className="error">{place.fieldErrors.keep}</p>}
      <div className="add-row">
        <button onClick={() => void place.save({ folder: folder.trim() || null, keep })} data-testid="second-place-save">
          {t.secondPlace.save}
        </button>
        {chosen && <button onClick={() => void place.save({ folder: null, keep })}>{t.secondPlace.clear}</button>}
        {chosen && (
          <button onClick={() => void copyNow()} disabled={place.copying} data-testid="second-place-copy">
            {place.copying ? t.secondPlace.copying : t.secondPlace.copyNow}
          </button>
        )}
      </div>
      {!chosen && <p className="muted">{t.secondPlace.notSet}</p>}
      {status.location_note && <p className="banner ok">{status.location_note}</p>}
      {chosen && (
        <p className="muted">{status.last_copy_at ? t.secondPlace.lastCopy(formatDateTime(status.last_copy_at)) : t.secondPlace.never}</p>
      )}
      {status.warning && (
        <p className="banner warn" data-testid="second-place-warning">
          {status.warning}
        </p>
      )}
      {place.copied && <p className="ok">{t.secondPlace.copied(place.copied.path)}</p>}
      {place.error && <p className="error">{place.error}</p>}
    </section>
  );
}

/** Today: said plainly when the second place is missing or its last copy is over two days old. */
export function SecondPlaceWarning() {
  const place = useSecondPlace();
  const { refresh } = place;
  // An office may leave the app open for days: look again every hour, so a
  // drive pulled meanwhile is said within the hour.
  useEffect(() => {
    const timer = window.setInterval(() => void refresh(), 60 * 60 * 1000);
    return () => window.clearInterval(timer);
  }, [refresh]);
  const warning = place.status?.warning;
  if (!warning) return null;
  return (
    <div className="banner warn" data-testid="today-second-place-warning">
      <span>{warning}</span>{" "}
      <button onClick={() => void place.copyNow()} disabled={place.copying}>
        {place.copying ? t.secondPlace.copying : t.secondPlace.copyNow}
      </button>
      {place.error && <p className="error">{place.error}</p>}
    </div>
  );
}
