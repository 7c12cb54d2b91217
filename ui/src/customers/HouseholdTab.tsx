import { useState } from "react";
import { call, commands, type Customer, type HouseholdMember } from "../shared/api";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export function HouseholdTab({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const [members, setMembers] = useState<HouseholdMember[]>(customer.members);
  const { error, fieldErrors: errors, run } = useAction();

  const update = (i: number, patch: Partial<HouseholdMember>) => setMembers((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  const save = () =>
    run(async () => {
      const next = await call(commands.setHousehold(customer.id, members));
      setMembers(next.members);
      onChanged(next);
    });

  return (
    <div className="household">
      {members.length === 0 && <p className="muted">{t.household.empty}</p>}
      {members.map((m, i) => (
        <div className="member" key={i}>
          <input
            placeholder={t.household.name}
            value={m.name}
            onChange={(e) => update(i, { name: e.target.value })}
            aria-invalid={Boolean(errors[`members.${i}.name`])}
          />
          <input placeholder={t.household.kana} value={m.kana} onChange={(e) => update(i, { kana: e.target.value })} />
          <input placeholder={t.household.relation} value={m.relation} onChange={(e) => update(i, { relation: e.target.value })} />
          <input type="date" value={m.birthday ?? ""} onChange={(e) => update(i, { birthday: e.target.value || null })} />
          <label className="check">
            <input type="checkbox" checked={m.joint_name} onChange={(e) => update(i, { joint_name: e.target.checked })} />
            {t.household.joint}
          </label>
          <button className="ghost" onClick={() => setMembers(members.filter((_, j) => j !== i))}>
            {t.household.remove}
          </button>
          {[errors[`members.${i}.name`], errors[`members.${i}.birthday`]].filter(Boolean).map((msg) => (
            <small key={msg} className="field-error">
              {msg}
            </small>
          ))}
        </div>
      ))}
      <div className="form-actions">
        {error && <span className="error">{error}</span>}
        <button onClick={() => setMembers([...members, { id: null, name: "", kana: "", relation: "", birthday: null, joint_name: false }])}>
          {t.household.add}
        </button>
        <button className="primary" onClick={() => void save()}>
          {t.household.save}
        </button>
      </div>
    </div>
  );
}
