// One customer's contacts and follow-ups: logging a contact (with the next
// action), ticking a follow-up done, removing a contact.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type Contact, type ContactInput, type Task } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Contacts = ReturnType<typeof useContacts>;

export function useContacts(customerId: number, onChanged: () => void) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(
    () =>
      Promise.all([call(commands.listContacts(customerId)), call(commands.listTasks(customerId))]).then(([c, tk]) => {
        setContacts(c);
        setTasks(tk);
      }, fail),
    [customerId, fail],
  );
  useEffect(() => void load(), [load]);

  /** Resolves to true once logged, so the form can empty itself. */
  const log = (input: ContactInput) =>
    run(async () => {
      await call(commands.logContact(input));
      setMessage(t.contacts.logged);
      await load();
      await reload();
      onChanged();
      return true;
    });

  const toggle = (task: Task) =>
    run(async () => {
      await call(commands.setTaskDone(task.id, task.done_at === null));
      await load();
      await reload();
    });

  async function remove(contact: Contact) {
    if (!window.confirm(t.contacts.removeConfirm)) return;
    await run(async () => {
      await call(commands.deleteContact(contact.id));
      await load();
      await reload();
      onChanged();
    });
  }

  return { ...action, contacts, tasks, message, log, toggle, remove };
}
