import { useEffect, useState } from "react";
import { open } from "@tauri-apps/plugin-dialog";
import { call, commands, messageOf, type BackupInfo, type Stage, type Status, type StatusInput } from "../shared/api";
import { formatDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { CampaignsTab, FollowUpTab } from "./FollowUpSettings";
import { SecondPlaceSection } from "./SecondPlace";
import { t } from "../i18n";

type Tab = keyof typeof t.settings.tabs;

export function SettingsScreen({ ledgerPath }: { ledgerPath: string }) {
  const [tab, setTab] = useState<Tab>("statuses");
  return (
    <div className="settings" data-testid="settings">
      <nav className="settings-nav">
        <h2>{t.settings.title}</h2>
        {(Object.keys(t.settings.tabs) as Tab[]).map((k) => (
          <button key={k} className={tab === k ? "side-item active" : "side-item"} onClick={() => setTab(k)} data-testid={`settings-${k}`}>
            {t.settings.tabs[k]}
          </button>
        ))}
      </nav>
      <div className="settings-body">
        {tab === "statuses" && <StatusesTab />}
        {tab === "labels" && <LabelsTab />}
        {tab === "staff" && <StaffTab />}
        {tab === "general" && <GeneralTab ledgerPath={ledgerPath} />}
        {tab === "followUp" && <FollowUpTab />}
        {tab === "campaigns" && <CampaignsTab />}
        {tab === "backups" && <BackupsTab />}
      </div>
    </div>
  );
}

/** Runs a write and reports its error in Japanese instead of throwing. */
function useAction() {
  const { reload } = useLedger();
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      await reload();
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  };
  return { error, run };
}

const toInput = (s: Status): StatusInput => ({ id: s.id, name: s.name, stage: s.stage, dm_allowed: s.dm_allowed, color: s.color, retired: s.retired });

function StatusesTab() {
  const { statuses } = useLedger();
  const { error, run } = useAction();
  const [dragged, setDragged] = useState<number | null>(null);

  function moveTo(id: number, index: number) {
    const ids = statuses.map((s) => s.id).filter((x) => x !== id);
    ids.splice(Math.max(0, Math.min(index, ids.length)), 0, id);
    void run(() => call(commands.reorderStatuses(ids)));
  }

  function drop(targetId: number) {
    if (dragged !== null && dragged !== targetId) moveTo(dragged, statuses.findIndex((s) => s.id === targetId));
    setDragged(null);
  }

  return (
    <section>
      <h3>{t.settings.tabs.statuses}</h3>
      <p className="muted">{t.settings.dragHint}</p>
      <table className="settings-table" data-testid="status-table">
        <thead>
          <tr>
            <th />
            <th>{t.settings.statusName}</th>
            <th>{t.settings.stage}</th>
            <th>{t.settings.dmAllowed}</th>
            <th>{t.settings.color}</th>
            <th>{t.settings.retired}</th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((s) => (
            <tr key={s.id} draggable onDragStart={() => setDragged(s.id)} onDragOver={(e) => e.preventDefault()} onDrop={() => drop(s.id)} className={s.retired ? "retired" : ""}>
              <td className="handle">
                ⋮⋮
                <button className="ghost small" aria-label="上へ" onClick={() => moveTo(s.id, statuses.indexOf(s) - 1)}>
                  ↑
                </button>
                <button className="ghost small" aria-label="下へ" onClick={() => moveTo(s.id, statuses.indexOf(s) + 1)}>
                  ↓
                </button>
              </td>
              <td>
                <input defaultValue={s.name} onBlur={(e) => e.target.value !== s.name && run(() => call(commands.saveStatus({ ...toInput(s), name: e.target.value })))} />
              </td>
              <td>
                <select value={s.stage} onChange={(e) => run(() => call(commands.saveStatus({ ...toInput(s), stage: e.target.value as Stage })))}>
                  {(Object.keys(t.stages) as Stage[]).map((st) => (
                    <option key={st} value={st}>
                      {t.stages[st]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input type="checkbox" checked={s.dm_allowed} onChange={(e) => run(() => call(commands.saveStatus({ ...toInput(s), dm_allowed: e.target.checked })))} />
              </td>
              <td>
                <input type="color" value={s.color} onChange={(e) => run(() => call(commands.saveStatus({ ...toInput(s), color: e.target.value })))} />
              </td>
              <td>
                <input type="checkbox" checked={s.retired} onChange={(e) => run(() => call(commands.saveStatus({ ...toInput(s), retired: e.target.checked })))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="error">{error}</p>}
      <NewNameRow label={t.settings.addStatus} onAdd={(name) => run(() => call(commands.saveStatus({ id: null, name, stage: "nurture", dm_allowed: true, color: "#64748b", retired: false })))} />
    </section>
  );
}

function NewNameRow({ label, onAdd }: { label: string; onAdd: (name: string) => Promise<void> }) {
  const [name, setName] = useState("");
  return (
    <form
      className="add-row"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!name.trim()) return;
        await onAdd(name);
        setName("");
      }}
    >
      <input value={name} onChange={(e) => setName(e.target.value)} placeholder={label.replace("＋ ", "")} />
      <button type="submit">{label}</button>
    </form>
  );
}

function LabelsTab() {
  const { labels } = useLedger();
  const { error, run } = useAction();
  return (
    <section>
      <h3>{t.settings.tabs.labels}</h3>
      <table className="settings-table">
        <tbody>
          {labels.map((l) => (
            <tr key={l.id}>
              <td>
                <input defaultValue={l.name} onBlur={(e) => e.target.value !== l.name && run(() => call(commands.saveLabel({ ...l, name: e.target.value })))} />
              </td>
              <td>
                <input type="color" value={l.color} onChange={(e) => run(() => call(commands.saveLabel({ ...l, color: e.target.value })))} />
              </td>
              <td>
                <button className="ghost" onClick={() => window.confirm(t.settings.deleteLabelConfirm(l.name)) && run(() => call(commands.deleteLabel(l.id)))}>
                  {t.settings.deleteLabel}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="error">{error}</p>}
      <NewNameRow label={t.settings.addLabel} onAdd={(name) => run(() => call(commands.saveLabel({ id: null, name, color: "#0ea5e9" })))} />
    </section>
  );
}

function StaffTab() {
  const { staff } = useLedger();
  const { error, run } = useAction();
  return (
    <section>
      <h3>{t.settings.tabs.staff}</h3>
      <table className="settings-table" data-testid="staff-table">
        <thead>
          <tr>
            <th>{t.settings.staffName}</th>
            <th>{t.settings.staffKana}</th>
            <th>{t.settings.active}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <td>
                <input defaultValue={s.name} onBlur={(e) => e.target.value !== s.name && run(() => call(commands.saveStaff({ ...s, name: e.target.value })))} />
              </td>
              <td>
                <input defaultValue={s.kana} onBlur={(e) => e.target.value !== s.kana && run(() => call(commands.saveStaff({ ...s, kana: e.target.value })))} />
              </td>
              <td>
                <input type="checkbox" checked={s.active} onChange={(e) => run(() => call(commands.saveStaff({ ...s, active: e.target.checked })))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className="error">{error}</p>}
      <NewNameRow label={t.settings.addStaff} onAdd={(name) => run(() => call(commands.saveStaff({ id: null, name, kana: "", active: true })))} />
    </section>
  );
}

function GeneralTab({ ledgerPath }: { ledgerPath: string }) {
  const { settings, saveSettings } = useLedger();
  const { error, run } = useAction();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section>
      <h3>{t.settings.tabs.general}</h3>
      <label className="check">
        <input type="checkbox" data-testid="important-rule" checked={settings.auto_important_label} onChange={(e) => run(() => saveSettings({ ...settings, auto_important_label: e.target.checked }))} />
        {t.settings.importantRule}
      </label>
      <div className="setting-block">
        <button data-testid="sample-data" onClick={() => run(async () => setMessage(t.settings.sampleDone(await call(commands.addSampleData(300)))))}>
          {t.settings.sample}
        </button>
        <p className="muted">{t.settings.sampleHint}</p>
        {message && <p className="ok">{message}</p>}
      </div>
      <div className="setting-block">
        <strong>{t.settings.ledgerPath}</strong>
        <p className="muted mono">{ledgerPath}</p>
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function BackupsTab() {
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useAction();
  const refresh = () => call(commands.listAllBackups()).then(setBackups);

  useEffect(() => {
    void refresh();
  }, []);

  async function restore(path: string, name: string) {
    if (!window.confirm(t.settings.restoreConfirm(name))) return;
    await run(async () => {
      await call(commands.restoreBackup(path));
      setMessage(t.settings.restored);
    });
    await refresh();
  }

  async function chooseFile() {
    const picked = await open({ multiple: false, filters: [{ name: "Daichō", extensions: ["sqlite3", "db", "sqlite"] }] });
    if (typeof picked === "string") await restore(picked, picked);
  }

  return (
    <section>
      <h3>{t.settings.tabs.backups}</h3>
      <p className="muted">{t.settings.backupHint}</p>
      <div className="add-row">
        <button onClick={() => run(async () => { await call(commands.backupNow()); await refresh(); })}>{t.settings.backupNow}</button>
        <button onClick={chooseFile}>{t.settings.restoreFile}</button>
      </div>
      {message && <p className="ok">{message}</p>}
      {error && <p className="error">{error}</p>}
      {backups.length === 0 ? (
        <p className="muted">{t.settings.noBackups}</p>
      ) : (
        <ul className="backup-list" data-testid="backup-list">
          {backups.map((b) => (
            <li key={b.path}>
              <span>{formatDateTime(b.created_at)}</span>
              <span className="muted">{t.secondPlace.places[b.place]}</span>
              <span className="muted">{b.file_name}</span>
              <span className="muted">{(b.size_bytes / 1024).toFixed(0)} KB</span>
              <button onClick={() => restore(b.path, b.file_name)}>{t.settings.restore}</button>
            </li>
          ))}
        </ul>
      )}
      <SecondPlaceSection onCopied={() => void refresh()} />
    </section>
  );
}
