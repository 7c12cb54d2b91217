import { useState } from "react";
import { localDateTime } from "../shared/format";
import { InputField } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import type { Contact } from "../shared/api";
import { useContacts, type Contacts } from "./use-contacts";
import { t } from "../i18n";

/** Logging a contact (with the next action) and the customer's follow-ups;
 * a クレーム or 点検 contact becomes an after-care request in one click. */
export function ContactsTab({ customerId, onChanged, onRequest }: { customerId: number; onChanged: () => void; onRequest: () => void }) {
  const c = useContacts(customerId, onChanged, onRequest);
  const { may } = useLedger();
  const editable = may("customers");

  return (
    <div className="contacts-tab" data-testid="contacts-tab">
      {editable ? <ContactForm c={c} customerId={customerId} /> : <NotPermitted need="customers" />}

      <h4>{t.contacts.tasks}</h4>
      {c.tasks.length === 0 ? (
        <p className="muted">{t.contacts.noTasks}</p>
      ) : (
        <ul className="task-list" data-testid="task-list">
          {c.tasks.map((task) => (
            <li key={task.id} className={task.done_at ? "done" : ""}>
              <label>
                <input
                  type="checkbox"
                  disabled={!editable}
                  checked={task.done_at !== null}
                  onChange={() => void c.toggle(task)}
                  data-testid={`task-${task.id}`}
                />
                <span className="due">{task.due_on}</span> {task.title}
              </label>
            </li>
          ))}
        </ul>
      )}

      <h4>{t.detail.tabs.contacts}</h4>
      {c.contacts.length === 0 ? (
        <p className="muted">{t.contacts.empty}</p>
      ) : (
        <ol className="history" data-testid="contact-list">
          {c.contacts.map((contact) => (
            <li key={contact.id}>
              <div className="when">
                {t.contacts.line(contact.at, contact.kind, t.history.by(contact.staff_name))}
                {editable && (
                  <button className="ghost small" onClick={() => void c.remove(contact)} aria-label={t.contacts.remove}>
                    ✕
                  </button>
                )}
              </div>
              {contact.note && <div className="note">{contact.note}</div>}
              {may("requests") && c.offersRequest(contact) && <ToRequest c={c} contact={contact} />}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** A contact as it happened, with the next action it leads to. */
function ContactForm({ c, customerId }: { c: Contacts; customerId: number }) {
  const { contactKinds } = useLedger();
  const active = contactKinds.filter((k) => !k.retired);
  const [kindId, setKindId] = useState<number>(0);
  const [at, setAt] = useState(() => localDateTime(new Date()));
  const [note, setNote] = useState("");
  const [nextOn, setNextOn] = useState("");
  const [nextNote, setNextNote] = useState("");
  const errors = c.fieldErrors;
  const message = c.error ?? c.message;

  async function log() {
    const input = {
      customer_id: customerId,
      kind_id: kindId || active[0]?.id || 0,
      at,
      note,
      next_on: nextOn || null,
      next_note: nextNote,
    };
    if (!(await c.log(input))) return;
    setNote("");
    setNextOn("");
    setNextNote("");
  }

  return (
    <fieldset className="contact-form">
      <label>
        {t.contacts.kind}
        <select data-testid="contact-kind" value={kindId || active[0]?.id || ""} onChange={(e) => setKindId(Number(e.target.value))}>
          {active.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </select>
      </label>
      <InputField label={t.contacts.at} error={errors.at} type="datetime-local" data-testid="contact-at" value={at} onChange={setAt} />
      <label className="wide">
        {t.contacts.note}
        <textarea data-testid="contact-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <InputField
        label={t.contacts.nextOn}
        error={errors.next_on}
        type="date"
        data-testid="contact-next-on"
        value={nextOn}
        onChange={setNextOn}
      />
      <label>
        {t.contacts.nextNote}
        <input data-testid="contact-next-note" value={nextNote} onChange={(e) => setNextNote(e.target.value)} />
      </label>
      <button className="primary" data-testid="contact-log" onClick={() => void log()}>
        {t.contacts.log}
      </button>
      {message && (
        <span className="muted" data-testid="contact-message">
          {message}
        </span>
      )}
    </fieldset>
  );
}

/** The one click from an owner's call (or an inspection) to a request. */
function ToRequest({ c, contact }: { c: Contacts; contact: Contact }) {
  const [categoryId, setCategoryId] = useState(0);
  const category = categoryId || c.categories[0]?.id || 0;
  return (
    <div className="to-request">
      <select
        value={category}
        onChange={(e) => setCategoryId(Number(e.target.value))}
        aria-label={t.contacts.requestCategory}
        data-testid={`contact-request-category-${contact.id}`}
      >
        {c.categories.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
          </option>
        ))}
      </select>
      <button className="small-button" onClick={() => void c.toRequest(contact, category)} data-testid={`contact-to-request-${contact.id}`}>
        {t.contacts.toRequest}
      </button>
    </div>
  );
}
