import { useEffect, useState } from "react";
import { ApiError, call, commands, messageOf, type Contact, type Task } from "../shared/api";
import { localDateTime } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";


/** Logging a contact (with the next action) and the customer's follow-ups. */
export function ContactsTab({ customerId, onChanged }: { customerId: number; onChanged: () => void }) {
  const { contactKinds, reload } = useLedger();
  const active = contactKinds.filter((k) => !k.retired);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [kindId, setKindId] = useState<number>(0);
  const [at, setAt] = useState(() => localDateTime(new Date()));
  const [note, setNote] = useState("");
  const [nextOn, setNextOn] = useState("");
  const [nextNote, setNextNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  async function load() {
    const [c, tk] = await Promise.all([call(commands.listContacts(customerId)), call(commands.listTasks(customerId))]);
    setContacts(c);
    setTasks(tk);
  }
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [customerId]);

  async function log() {
    try {
      await call(commands.logContact({ customer_id: customerId, kind_id: kindId || active[0]?.id || 0, at, note, next_on: nextOn || null, next_note: nextNote }));
      setNote("");
      setNextOn("");
      setNextNote("");
      setErrors({});
      setMessage(t.contacts.logged);
      await load();
      await reload();
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setErrors(e.fieldMessages());
      else setMessage(messageOf(e, t.errors.unexpected));
    }
  }

  async function toggle(task: Task) {
    await call(commands.setTaskDone(task.id, task.done_at === null));
    await load();
    await reload();
  }

  async function remove(contact: Contact) {
    if (!window.confirm(t.contacts.removeConfirm)) return;
    await call(commands.deleteContact(contact.id));
    await load();
    await reload();
    onChanged();
  }

  return (
    <div className="contacts-tab" data-testid="contacts-tab">
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
        <label>
          {t.contacts.at}
          <input type="datetime-local" data-testid="contact-at" value={at} onChange={(e) => setAt(e.target.value)} aria-invalid={Boolean(errors.at)} />
          {errors.at && <span className="field-error">{errors.at}</span>}
        </label>
        <label className="wide">
          {t.contacts.note}
          <textarea data-testid="contact-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label>
          {t.contacts.nextOn}
          <input type="date" data-testid="contact-next-on" value={nextOn} onChange={(e) => setNextOn(e.target.value)} aria-invalid={Boolean(errors.next_on)} />
          {errors.next_on && <span className="field-error">{errors.next_on}</span>}
        </label>
        <label>
          {t.contacts.nextNote}
          <input data-testid="contact-next-note" value={nextNote} onChange={(e) => setNextNote(e.target.value)} />
        </label>
        <button className="primary" data-testid="contact-log" onClick={() => void log()}>
          {t.contacts.log}
        </button>
        {message && <span className="muted" data-testid="contact-message">{message}</span>}
      </fieldset>

      <h4>{t.contacts.tasks}</h4>
      {tasks.length === 0 ? (
        <p className="muted">{t.contacts.noTasks}</p>
      ) : (
        <ul className="task-list" data-testid="task-list">
          {tasks.map((task) => (
            <li key={task.id} className={task.done_at ? "done" : ""}>
              <label>
                <input type="checkbox" checked={task.done_at !== null} onChange={() => void toggle(task)} data-testid={`task-${task.id}`} />
                <span className="due">{task.due_on}</span> {task.title}
              </label>
            </li>
          ))}
        </ul>
      )}

      <h4>{t.detail.tabs.contacts}</h4>
      {contacts.length === 0 ? (
        <p className="muted">{t.contacts.empty}</p>
      ) : (
        <ol className="history" data-testid="contact-list">
          {contacts.map((c) => (
            <li key={c.id}>
              <div className="when">
                {c.at} ・ {c.kind} ・ {t.history.by(c.staff_name)}
                <button className="ghost small" onClick={() => void remove(c)} aria-label={t.contacts.remove}>
                  ✕
                </button>
              </div>
              {c.note && <div className="note">{c.note}</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
