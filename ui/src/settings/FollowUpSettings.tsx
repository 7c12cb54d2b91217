import { useState } from "react";
import type { CampaignInput, FollowUpSettings as Settings } from "../shared/api";
import { LabelledField } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { draftOf, useCampaignSettings, useFollowUpSettings, type FollowUpDraft } from "./use-follow-up-settings";
import { t } from "../i18n";

type FollowUp = ReturnType<typeof useFollowUpSettings>;

/** Contact rhythm per grade, after-care schedule, lost reasons, stale days and contact kinds. */
export function FollowUpTab() {
  const { followUp, contactKinds, revision } = useLedger();
  const f = useFollowUpSettings();
  const [newKind, setNewKind] = useState("");
  if (!followUp) return <p className="muted">{t.app.loading}</p>;
  return (
    <div className="settings-section" data-testid="follow-up-settings">
      {/* A fresh form after every reload starts from the saved rules. */}
      <RulesForm key={revision} initial={followUp} f={f} />
      <h3>{t.followUp.kinds}</h3>
      <ul className="kind-list">
        {contactKinds.map((k) => (
          <li key={k.id}>
            <span>{k.name}</span>
            <label className="check">
              <input type="checkbox" checked={k.retired} onChange={(e) => void f.saveKind(k.id, k.name, e.target.checked)} />
              {t.followUp.retired}
            </label>
          </li>
        ))}
      </ul>
      <input value={newKind} onChange={(e) => setNewKind(e.target.value)} placeholder={t.followUp.addKind} />
      <button onClick={() => void f.saveKind(null, newKind, false).then((ok) => ok && setNewKind(""))}>{t.followUp.addKind}</button>
    </div>
  );
}

function RulesForm({ initial, f }: { initial: Settings; f: FollowUp }) {
  const [draft, setDraft] = useState<FollowUpDraft>(() => draftOf(initial));
  const errors = f.fieldErrors;
  const r = draft.settings.rhythm_days;
  const setSettings = (patch: Partial<Settings>) => setDraft({ ...draft, settings: { ...draft.settings, ...patch } });
  return (
    <>
      <h3>{t.followUp.rhythm}</h3>
      <div className="inline-fields">
        {(["a", "b", "c", "d"] as const).map((g) => (
          <label key={g}>
            {g.toUpperCase()}
            <input
              type="number"
              min={1}
              value={r[g]}
              onChange={(e) => setSettings({ rhythm_days: { ...r, [g]: Number(e.target.value) } })}
              data-testid={`rhythm-${g}`}
            />
          </label>
        ))}
      </div>
      {errors.rhythm_days && <p className="field-error">{errors.rhythm_days}</p>}
      <LabelledField className="block" label={t.followUp.aftercare} error={errors.aftercare_months}>
        <input value={draft.months} onChange={(e) => setDraft({ ...draft, months: e.target.value })} data-testid="aftercare-months" />
      </LabelledField>
      <LabelledField className="block" label={t.followUp.lostReasons} error={errors.lost_reasons}>
        <input value={draft.reasons} onChange={(e) => setDraft({ ...draft, reasons: e.target.value })} data-testid="lost-reasons" />
      </LabelledField>
      <LabelledField className="block" label={t.followUp.staleDays} error={errors.stale_days}>
        <input
          type="number"
          min={1}
          value={draft.settings.stale_days}
          onChange={(e) => setSettings({ stale_days: Number(e.target.value) })}
        />
      </LabelledField>
      <button className="primary" onClick={() => void f.save(draft)} data-testid="follow-up-save">
        {t.followUp.save}
      </button>
      {(f.notice || f.error) && <span className={f.error ? "error" : "ok"}> {f.error ?? f.notice}</span>}
    </>
  );
}

const blankCampaign = (): CampaignInput => ({ id: null, name: "", kind: t.campaigns.kinds[0], held_on: null, cost_yen: 0 });

/** Campaigns and events: name, kind, date and cost. */
export function CampaignsTab() {
  const { campaigns } = useLedger();
  const c = useCampaignSettings();
  const [draft, setDraft] = useState<CampaignInput>(blankCampaign());
  const errors = c.error ? { name: c.error } : c.fieldErrors;

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
          {campaigns.map((x) => (
            <tr key={x.id} onClick={() => setDraft({ ...x, id: x.id })} className="clickable">
              <td>{x.name}</td>
              <td>{x.kind}</td>
              <td>{x.held_on}</td>
              <td className="num">{x.cost_yen.toLocaleString("ja-JP")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-fields">
        <LabelledField label={t.campaigns.name} error={errors.name}>
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="campaign-name" />
        </LabelledField>
        <label>
          {t.campaigns.kind}
          <input list="campaign-kinds" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })} />
          <datalist id="campaign-kinds">
            {t.campaigns.kinds.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <LabelledField label={t.campaigns.heldOn} error={errors.held_on}>
          <input type="date" value={draft.held_on ?? ""} onChange={(e) => setDraft({ ...draft, held_on: e.target.value || null })} />
        </LabelledField>
        <LabelledField label={t.campaigns.cost} error={errors.cost_yen}>
          <input
            type="number"
            value={draft.cost_yen}
            onChange={(e) => setDraft({ ...draft, cost_yen: Number(e.target.value) })}
            data-testid="campaign-cost"
          />
        </LabelledField>
        <button
          className="primary"
          onClick={() => void c.saveCampaign(draft).then((ok) => ok && setDraft(blankCampaign()))}
          data-testid="campaign-save"
        >
          {draft.id === null ? t.campaigns.add : t.campaigns.save}
        </button>
      </div>
    </div>
  );
}
