import { useState, type ReactNode } from "react";
import { commands, type BuildTiming, type CustomerFields, type Gender, type Grade, type Honorific, type Land, type PostalPlace } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

export function blankFields(): CustomerFields {
  return {
    family_name: "", given_name: "", family_kana: "", given_kana: "", honorific: "様", company: "", department: "",
    gender: null, birthday: null, postal_code: "", prefecture: "", city: "", address1: "", address2: "", phone: "",
    mobile: "", email: "", source: "", staff_id: null, build_timing: null, budget_man_yen: null, land: null,
    status_id: null, grade: null, dm_opt_out: false, mail_returned_reason: "", mail_returned_on: null,
    deceased: false, moved: false, notes: "", referrer_id: null, campaign_id: null,
  };
}

type Key = keyof CustomerFields;

/** The edit form. The ledger validates; its messages appear under each field. */
export function CustomerForm({ initial, submitLabel, onSave }: { initial: CustomerFields; submitLabel: string; onSave: (f: CustomerFields) => Promise<Record<string, string>> }) {
  const { statuses, staff, campaigns } = useLedger();
  const [f, setF] = useState<CustomerFields>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [places, setPlaces] = useState<PostalPlace[]>([]);
  const isNew = initial.status_id === null;

  // A complete postal code fills prefecture, city and town where they are still empty.
  async function postalTyped(code: string) {
    const digits = code.replace(/[^0-9０-９]/g, "");
    if (digits.length !== 7) return setPlaces([]);
    const found = await commands.lookupPostal(code);
    if (found.length === 1) fillPlace(found[0]);
    setPlaces(found.length > 1 ? found : []);
  }

  function fillPlace(place: PostalPlace) {
    setF((prev) => ({
      ...prev,
      prefecture: prev.prefecture || place.prefecture,
      city: prev.city || place.city,
      address1: prev.address1 || place.town,
    }));
    setPlaces([]);
  }

  const set = <K extends Key>(key: K, value: CustomerFields[K]) => {
    setF((prev) => ({ ...prev, [key]: value }));
    setSaved(false);
  };
  const text = (key: Key, props: { placeholder?: string; type?: string; wide?: boolean } = {}) => (
    <Field name={key} error={errors[key]} wide={props.wide}>
      <input
        data-testid={`field-${key}`}
        type={props.type ?? "text"}
        value={(f[key] as string | null) ?? ""}
        placeholder={props.placeholder}
        aria-invalid={Boolean(errors[key])}
        onChange={(e) => set(key, (props.type === "date" && !e.target.value ? null : e.target.value) as never)}
      />
    </Field>
  );
  const choice = <T extends string>(key: Key, options: Record<T, string>) => (
    <Field name={key} error={errors[key]}>
      <select data-testid={`field-${key}`} value={(f[key] as string | null) ?? ""} onChange={(e) => set(key, (e.target.value || null) as never)}>
        <option value="">{t.options.none}</option>
        {(Object.entries(options) as [T, string][]).map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </Field>
  );
  const flag = (key: "dm_opt_out" | "deceased" | "moved") => (
    <label className="check">
      <input type="checkbox" data-testid={`field-${key}`} checked={f[key]} onChange={(e) => set(key, e.target.checked)} />
      {t.fields[key]}
    </label>
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const problems = await onSave(f);
    setErrors(problems);
    setSaved(Object.keys(problems).length === 0);
    setBusy(false);
  }

  return (
    <form className="customer-form" onSubmit={submit} noValidate data-testid="customer-form">
      <fieldset>
        <legend>{t.sections.identity}</legend>
        {text("family_name")}
        {text("given_name")}
        {text("family_kana", { placeholder: "ヤマダ" })}
        {text("given_kana", { placeholder: "タロウ" })}
        {text("company")}
        {text("department")}
        {choice<Honorific>("honorific", t.options.honorific)}
        {choice<Gender>("gender", t.options.gender)}
        {text("birthday", { type: "date" })}
      </fieldset>
      <fieldset>
        <legend>{t.sections.contact}</legend>
        {text("phone", { placeholder: "03-1234-5678" })}
        {text("mobile", { placeholder: "090-1234-5678" })}
        {text("email", { placeholder: "taro@example.jp", type: "email", wide: true })}
      </fieldset>
      <fieldset>
        <legend>{t.sections.address}</legend>
        <Field name="postal_code" error={errors.postal_code}>
          <input
            data-testid="field-postal_code"
            value={f.postal_code}
            placeholder="154-0015"
            aria-invalid={Boolean(errors.postal_code)}
            onChange={(e) => {
              set("postal_code", e.target.value);
              void postalTyped(e.target.value);
            }}
          />
        </Field>
        {places.length > 0 && (
          <div className="wide place-choice">
            {t.detail.choosePlace}
            {places.map((p, i) => (
              <button type="button" key={i} className="ghost small" onClick={() => fillPlace(p)}>
                {p.prefecture}
                {p.city}
                {p.town}
              </button>
            ))}
          </div>
        )}
        {text("prefecture", { placeholder: "東京都" })}
        {text("city", { placeholder: "世田谷区" })}
        {text("address1", { placeholder: "桜新町1-2-3", wide: true })}
        {text("address2", { wide: true })}
      </fieldset>
      <fieldset>
        <legend>{t.sections.sales}</legend>
        {isNew && (
          <Field name="status_id" error={errors.status_id}>
            <select data-testid="field-status_id" value={f.status_id ?? ""} onChange={(e) => set("status_id", e.target.value ? Number(e.target.value) : null)}>
              <option value="">{statuses.find((s) => !s.retired)?.name}</option>
              {statuses.filter((s) => !s.retired).slice(1).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {choice<Grade>("grade", { A: "A", B: "B", C: "C", D: "D" })}
        <Field name="campaign_id" error={errors.campaign_id}>
          <select data-testid="field-campaign_id" value={f.campaign_id ?? ""} onChange={(e) => set("campaign_id", e.target.value ? Number(e.target.value) : null)}>
            <option value="">{t.campaigns.none}</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field name="source" error={errors.source}>
          <input data-testid="field-source" list="sources" value={f.source} onChange={(e) => set("source", e.target.value)} />
          <datalist id="sources">
            {t.options.sources.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </Field>
        <Field name="staff_id" error={errors.staff_id}>
          <select data-testid="field-staff_id" value={f.staff_id ?? ""} onChange={(e) => set("staff_id", e.target.value ? Number(e.target.value) : null)}>
            <option value="">{t.options.none}</option>
            {staff.filter((s) => s.active || s.id === f.staff_id).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        {choice<BuildTiming>("build_timing", t.options.build_timing)}
        <Field name="budget_man_yen" error={errors.budget_man_yen}>
          <input data-testid="field-budget_man_yen" type="number" min={0} step={100} value={f.budget_man_yen ?? ""} onChange={(e) => set("budget_man_yen", e.target.value === "" ? null : Number(e.target.value))} />
        </Field>
        {choice<Land>("land", t.options.land)}
      </fieldset>
      <fieldset>
        <legend>{t.sections.flags}</legend>
        <div className="checks wide">
          {flag("dm_opt_out")}
          {flag("deceased")}
          {flag("moved")}
        </div>
        <Field name="mail_returned_reason" error={errors.mail_returned_reason}>
          <input data-testid="field-mail_returned_reason" list="returned-reasons" value={f.mail_returned_reason} onChange={(e) => set("mail_returned_reason", e.target.value)} />
          <datalist id="returned-reasons">
            {t.options.returnedReasons.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </Field>
        {text("mail_returned_on", { type: "date" })}
      </fieldset>
      <fieldset>
        <legend>{t.sections.notes}</legend>
        <Field name="notes" error={errors.notes} wide>
          <textarea data-testid="field-notes" rows={4} value={f.notes} onChange={(e) => set("notes", e.target.value)} />
        </Field>
      </fieldset>
      <div className="form-actions">
        {Object.keys(errors).length > 0 && <span className="error" data-testid="form-error">{t.detail.invalid}</span>}
        {saved && <span className="ok">{t.detail.saved}</span>}
        <button className="primary" type="submit" disabled={busy} data-testid="save-customer">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function Field({ name, error, wide, children }: { name: string; error?: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field ${wide ? "wide" : ""} ${error ? "invalid" : ""}`}>
      <span>{t.fields[name]}</span>
      {children}
      {error && (
        <small className="field-error" data-testid={`error-${name}`}>
          {error}
        </small>
      )}
    </label>
  );
}
