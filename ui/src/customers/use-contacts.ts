// One customer's contacts and follow-ups: logging a contact (with the next
// action), ticking a follow-up done, removing a contact, making a クレーム or
// 点検 contact an after-care request.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type Contact, type ContactInput, type ListEntry, type Task } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Contacts = ReturnType<typeof useContacts>;

export function useContacts(customerId: number, onChanged: () => void, onRequest: () => void) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  // What the one click to a request needs: the kinds it is offered on, the
  // categories, and the contacts already made into a request.
  const [sourceKinds, setSourceKinds] = useState<string[]>([]);
  const [categories, setCategories] = useState<ListEntry[]>([]);
  const [madeInto, setMadeInto] = useState<Set<number>>(new Set());

  const load = useCallback(() => {
    const filter = {
      open: false,
      overdue: false,
      staff_id: null,
      status: null,
      customer_id: customerId,
      project_id: null,
      partner_id: null,
    };
    return Promise.all([
      call(commands.listContacts(customerId)),
      call(commands.listTasks(customerId)),
      commands.requestSourceKinds(),
      call(commands.requestList("category")),
      call(commands.listRequests(filter)),
    ]).then(([c, tk, kinds, cats, requests]) => {
      setContacts(c);
      setTasks(tk);
      setSourceKinds(kinds);
      setCategories(cats.filter((e) => !e.retired));
      setMadeInto(new Set(requests.flatMap((r) => (r.contact_id === null ? [] : [r.contact_id]))));
    }, fail);
  }, [customerId, fail]);
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

  /** The one click: the contact becomes a request under `categoryId`. */
  const toRequest = (contact: Contact, categoryId: number) =>
    run(async () => {
      await call(commands.createRequestFromContact(contact.id, categoryId));
      await load();
      await reload();
      onChanged();
      onRequest();
    });

  /** Offered on a クレーム or 点検 contact not yet made into a request. */
  const offersRequest = (contact: Contact) => sourceKinds.includes(contact.kind) && !madeInto.has(contact.id);

  return { ...action, contacts, tasks, message, categories, log, toggle, remove, toRequest, offersRequest };
}
