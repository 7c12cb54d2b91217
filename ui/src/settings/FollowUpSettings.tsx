import { useEffect, useState } from "react";
import { ApiError, call, commands, messageOf, type CampaignInput, type FollowUpSettings as Settings } from "../shared/api";
import { splitList } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";


/** Contact rhythm per grade, after-care schedule, lost reasons, stale days and contact kinds. */
export function FollowUpTab() {
  const { followUp, contactKinds, reload } = useLedger();
  const [draft, setDraft] = useState<Settings | null>(followUp);
  const [months, setMonths] = useState("");
  const [reasons, setReasons] = useState("");
  const [newKind, setNewKind] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setDraft(followUp);
    setMonths(followUp?.aftercare_months.join("、") ?? "");
    setReasons(followUp?.lost_reasons.join("、") ?? "");
  }, [followUp]);

  if (!draft) return <p className="muted">{t.app.loading}</p>;

  async function save() {
    if (!draft) return;
    try {
      await call(commands.saveFollowUpSettings({ ...draft, aftercare_months: splitList(months).map(Number).filter((n) => Number.isFinite(n)), lost_reasons: splitList(reasons) }));
      setErrors({});
      setNotice(t.followUp.saved);
      await reload();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setErrors(e.fieldMessages());
      else setNotice(messageOf(e, t.errors.unexpected));
    }
  }

  async function saveKind(id: number | null, name: string, retired: boolean) {
    try {
      await call(commands.saveContactKind({ id, name, retired }));
      setNewKind("");
      await reload();
    } catch (e) {
      setNotice(messageOf(e, t.errors.unexpected));
    }
  }

  const r = draft.rhythm_days;
  return (
    <div className="settings-section" data-testid="follow-up-settings">
      <h3>{t.followUp.rhythm}</h3>
      <div className="inline-fields">
        {(["a", "b", "c", "d"] as const).map((g) => (
          <label key={g}>
            {g.toUpperCase()}
            <input type="number" min={1} value={r[g]} onChange={(e) => setDraft({ ...draft, rhythm_days: { ...r, [g]: Number(e.target.value) } })} data-testid={`rhythm-${g}`} />
          </label>
        ))}
      </div>
      {errors.rhythm_days && <p className="field-error">{errors.rhythm_days}</p>}
      <label className="block">
        {t.followUp.aftercare}
        <input value={months} onChange={(e) => setMonths(e.target.value)} data-testid="aftercare-months" />
        {errors.aftercare_months && <span className="field-error">{errors.aftercare_months}</span>}
      </label>
      <label className="block">
        {t.followUp.lostReasons}
        <input value={reasons} onChange={(e) => setReasons(e.target.value)} data-testid="lost-reasons" />
        {errors.lost_reasons && <span className="field-error">{errors.lost_reasons}</span>}
      </label>
      <label className="block">
        {t.followUp.staleDays}
        <input type="number" min={1} value={draft.stale_days} onChange={(e) => setDraft({ ...draft, stale_days: Number(e.target.value) })} />
        {errors.stale_days && <span className="field-error">{errors.stale_days}</span>}
      </label>
      <button className="primary" onClick={() => void save()} data-testid="follow-up-save">
        {t.followUp.save}
      </button>
      {notice && <span className="ok"> {notice}</span>}

      <h3>{t.followUp.kinds}</h3>
      <ul className="kind-list">
        {contactKinds.map((k) => (
          <li key={k.id}>
            <span>{k.name}</span>
            <label className="check">
              <input type="checkbox" checked={k.retired} onChange={(e) => void saveKind(k.id, k.name, e.target.checked)} />
              {t.followUp.retired}
            </label>
          </li>
        ))}
      </ul>
      <input value={newKind} onChange={(e) => setNewKind(e.target.value)} placeholder={t.followUp.addKind} />
      <button onClick={() => void saveKind(null, newKind, false)}>{t.followUp.addKind}</button>
    </div>
  );
}

const blankCampaign = (): CampaignInput => ({ id: null, name: "", kind: t.campaigns.kinds[0], held_on: null, cost_yen: 0 });

/** Campaigns and events: name, kind, date and cost. */
export function CampaignsTab() {
  const { campaigns, reload } = useLedger();
  const [draft, setDraft] = useState<CampaignInput>(blankCampaign());
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function save() {
    try {
      await call(commands.saveCampaign(draft));
      setDraft(blankCampaign());
      setErrors({});
      await reload();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setErrors(e.fieldMessages());
      else setErrors({ name: messageOf(e, t.errors.unexpected) });
    }
  }

  return (
    <div className="settings-section" data-testid="campaign-settings">
      <table className="plain">
        <thead>
          <tr>
            <th>{t.campaigns.name}</th>
            <th>{t.campaigns.kind}</th>
            <th>{t.campaigns.heldOn}</th>
            <th>{t.campaigns.cost}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} onClick={() => setDraft({ ...c, id: c.id })} className="clickable">
              <td>{c.name}</td>
              <td>{c.kind}</td>
              <td>{c.held_on}</td>
              <td className="num">{c.cost_yen.toLocaleString("ja-JP")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-fields">
        <label>
          {t.campaigns.name}
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="campaign-name" />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <label>
          {t.campaigns.kind}
          <input list="campaign-kinds" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })} />
          <datalist id="campaign-kinds">
            {t.campaigns.kinds.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <label>
          {t.campaigns.heldOn}
          <input type="date" value={draft.held_on ?? ""} onChange={(e) => setDraft({ ...draft, held_on: e.target.value || null })} />
          {errors.held_on && <span className="field-error">{errors.held_on}</span>}
        </label>
        <label>
          {t.campaigns.cost}
          <input type="number" value={draft.cost_yen} onChange={(e) => setDraft({ ...draft, cost_yen: Number(e.target.value) })} data-testid="campaign-cost" />
          {errors.cost_yen && <span className="field-error">{errors.cost_yen}</span>}
        </label>
        <button className="primary" onClick={() => void save()} data-testid="campaign-save">
          {draft.id === null ? t.campaigns.add : t.campaigns.save}
        </button>
      </div>
    </div>
  );
}
