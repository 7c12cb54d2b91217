import type { ReactNode } from "react";
import { BLANK_CUSTOMER, type BuildTiming, type CustomerFields, type Gender, type Grade, type Honorific, type Land } from "../shared/api";
import { OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { useCustomerForm, type CustomerFormState, type Key } from "./use-customer-form";
import { ConflictMark } from "../office/conflict-marks";
import { t } from "../i18n";

/** A new customer's form, as Rust's `CustomerFields::default()` has it. */
export function blankFields(): CustomerFields {
  return { ...BLANK_CUSTOMER };
}

type Form = { form: CustomerFormState };
const ex = t.detail.examples;

/** The edit form. The ledger validates; its messages appear under each field. */
export function CustomerForm({
  initial,
  submitLabel,
  onSave,
}: {
  initial: CustomerFields;
  submitLabel: string;
  onSave: (f: CustomerFields) => Promise<Record<string, string>>;
}) {
  const form = useCustomerForm(initial, onSave);
  const { f, errors } = form;
  // Birthdays and 社外秘 notes are for the roles the office chooses; the
  // ledger keeps them as stored when someone else saves.
  const sees = useLedger().session?.sees_sensitive ?? true;
  return (
    <form className="customer-form" onSubmit={form.submit} noValidate data-testid="customer-form">
      <fieldset>
        <legend>{t.sections.identity}</legend>
        <Text form={form} name="family_name" />
        <Text form={form} name="given_name" />
        <Text form={form} name="family_kana" placeholder={ex.familyKana} />
        <Text form={form} name="given_kana" placeholder={ex.givenKana} />
        <Text form={form} name="company" />
        <Text form={form} name="department" />
        <Choice<Honorific> form={form} name="honorific" options={t.options.honorific} />
        <Choice<Gender> form={form} name="gender" options={t.options.gender} />
        {sees && <Text form={form} name="birthday" type="date" />}
      </fieldset>
      <fieldset>
        <legend>{t.sections.contact}</legend>
        <Text form={form} name="phone" placeholder={ex.phone} />
        <Text form={form} name="mobile" placeholder={ex.mobile} />
        <Text form={form} name="email" placeholder={ex.email} type="email" wide />
      </fieldset>
      <AddressSection form={form} />
      <SalesSection form={form} isNew={initial.status_id === null} />
      <FlagsSection form={form} />
      <fieldset>
        <legend>{t.sections.notes}</legend>
        <Field name="notes" error={errors.notes} wide>
          <textarea data-testid="field-notes" rows={4} value={f.notes} onChange={(e) => form.set("notes", e.target.value)} />
        </Field>
        {sees ? (
          <Field name="confidential_notes" error={errors.confidential_notes} wide>
            <textarea
              data-testid="field-confidential_notes"
              rows={2}
              value={f.confidential_notes}
              onChange={(e) => form.set("confidential_notes", e.target.value)}
            />
          </Field>
        ) : (
          <p className="muted small" data-testid="sensitive-hidden">
            {t.detail.sensitiveHidden}
          </p>
        )}
      </fieldset>
      <div className="form-actions">
        {Object.keys(errors).length > 0 && (
          <span className="error" data-testid="form-error">
            {t.detail.invalid}
          </span>
        )}
        {form.saved && <span className="ok">{t.detail.saved}</span>}
        <button className="primary" type="submit" disabled={form.busy} data-testid="save-customer">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function AddressSection({ form }: Form) {
  const { f, errors, places } = form;
  return (
    <fieldset>
      <legend>{t.sections.address}</legend>
      <Field name="postal_code" error={errors.postal_code}>
        <input
          data-testid="field-postal_code"
          value={f.postal_code}
          placeholder={ex.postalCode}
          aria-invalid={Boolean(errors.postal_code)}
          onChange={(e) => void form.postalTyped(e.target.value)}
        />
      </Field>
      {places.length > 0 && (
        <div className="wide place-choice">
          {t.detail.choosePlace}
          {places.map((p, i) => (
            <button type="button" key={i} className="ghost small" onClick={() => form.fillPlace(p)}>
              {p.prefecture}
              {p.city}
              {p.town}
            </button>
          ))}
        </div>
      )}
      <Text form={form} name="prefecture" placeholder={ex.prefecture} />
      <Text form={form} name="city" placeholder={ex.city} />
      <Text form={form} name="address1" placeholder={ex.address1} wide />
      <Text form={form} name="address2" wide />
    </fieldset>
  );
}

function SalesSection({ form, isNew }: Form & { isNew: boolean }) {
  const { statuses, staff, campaigns } = useLedger();
  const { f, errors, set } = form;
  const id = (value: string) => (value ? Number(value) : null);
  const active = statuses.filter((s) => !s.retired);
  return (
    <fieldset>
      <legend>{t.sections.sales}</legend>
      {isNew && (
        <Field name="status_id" error={errors.status_id}>
          <select data-testid="field-status_id" value={f.status_id ?? ""} onChange={(e) => set("status_id", id(e.target.value))}>
            <option value="">{active[0]?.name}</option>
            <Options items={active.slice(1)} />
          </select>
        </Field>
      )}
      <Choice<Grade> form={form} name="grade" options={{ A: "A", B: "B", C: "C", D: "D" }} />
      <Field name="campaign_id" error={errors.campaign_id}>
        <select data-testid="field-campaign_id" value={f.campaign_id ?? ""} onChange={(e) => set("campaign_id", id(e.target.value))}>
          <option value="">{t.campaigns.none}</option>
          <Options items={campaigns} />
        </select>
      </Field>
      <Field name="source" error={errors.source}>
        <input data-testid="field-source" list="sources" value={f.source} onChange={(e) => set("source", e.target.value)} />
        <Suggestions id="sources" values={t.options.sources} />
      </Field>
      <Field name="staff_id" error={errors.staff_id}>
        <select data-testid="field-staff_id" value={f.staff_id ?? ""} onChange={(e) => set("staff_id", id(e.target.value))}>
          <option value="">{t.options.none}</option>
          <Options items={staff.filter((s) => s.active || s.id === f.staff_id)} />
        </select>
      </Field>
      <Choice<BuildTiming> form={form} name="build_timing" options={t.options.build_timing} />
      <Field name="budget_man_yen" error={errors.budget_man_yen}>
        <input
          data-testid="field-budget_man_yen"
          type="number"
          min={0}
          step={100}
          value={f.budget_man_yen ?? ""}
          onChange={(e) => set("budget_man_yen", e.target.value === "" ? null : Number(e.target.value))}
        />
      </Field>
      <Choice<Land> form={form} name="land" options={t.options.land} />
    </fieldset>
  );
}

function FlagsSection({ form }: Form) {
  const { f, errors, set } = form;
  return (
    <fieldset>
      <legend>{t.sections.flags}</legend>
      <div className="checks wide">
        <Flag form={form} name="dm_opt_out" />
        <Flag form={form} name="deceased" />
        <Flag form={form} name="moved" />
      </div>
      <Field name="mail_returned_reason" error={errors.mail_returned_reason}>
        <input
          data-testid="field-mail_returned_reason"
          list="returned-reasons"
          value={f.mail_returned_reason}
          onChange={(e) => set("mail_returned_reason", e.target.value)}
        />
        <Suggestions id="returned-reasons" values={t.options.returnedReasons} />
      </Field>
      <Text form={form} name="mail_returned_on" type="date" />
    </fieldset>
  );
}

function Options({ items }: { items: { id: number; name: string }[] }) {
  return items.map((x) => (
    <option key={x.id} value={x.id}>
      {x.name}
    </option>
  ));
}

function Suggestions({ id, values }: { id: string; values: readonly string[] }) {
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}

/** A text, date or e-mail field; an emptied date is no date. */
function Text({ form, name, placeholder, type = "text", wide }: Form & { name: Key; placeholder?: string; type?: string; wide?: boolean }) {
  const { f, errors } = form;
  return (
    <Field name={name} error={errors[name]} wide={wide}>
      <input
        data-testid={`field-${name}`}
        type={type}
        value={(f[name] as string | null) ?? ""}
        placeholder={placeholder}
        aria-invalid={Boolean(errors[name])}
        onChange={(e) => form.set(name, (type === "date" && !e.target.value ? null : e.target.value) as never)}
      />
    </Field>
  );
}

function Choice<T extends string>({ form, name, options }: Form & { name: Key; options: Record<T, string> }) {
  const { f, errors } = form;
  return (
    <Field name={name} error={errors[name]}>
      <select
        data-testid={`field-${name}`}
        value={(f[name] as string | null) ?? ""}
        onChange={(e) => form.set(name, (e.target.value || null) as never)}
      >
        <option value="">{t.options.none}</option>
        <OptionsOf labels={options} />
      </select>
    </Field>
  );
}

function Flag({ form, name }: Form & { name: "dm_opt_out" | "deceased" | "moved" }) {
  return (
    <label className="check">
      <input type="checkbox" data-testid={`field-${name}`} checked={form.f[name]} onChange={(e) => form.set(name, e.target.checked)} />
      {t.fields[name]}
      <ConflictMark name={name} />
    </label>
  );
}

function Field({ name, error, wide, children }: { name: string; error?: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field ${wide ? "wide" : ""} ${error ? "invalid" : ""}`}>
      <span>
        {t.fields[name]}
        <ConflictMark name={name} />
      </span>
      {children}
      {error && (
        <small className="field-error" data-testid={`error-${name}`}>
          {error}
        </small>
      )}
    </label>
  );
}
