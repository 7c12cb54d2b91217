// One customer's record in the detail panel: reading it (again after every
// write and every arrival of another PC's changes), saving the form
// (creating a new customer), the trash, and the history's revision.
import { useEffect, useState } from "react";
import { ApiError, call, commands, type Customer, type CustomerFields } from "../shared/api";
import { fullName } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { usePrivacy } from "./use-privacy";
import { t } from "../i18n";

export function useCustomerDetail(id: number | null, onCreated: (id: number) => void) {
  const { reload, revision } = useLedger();
  const { error, run, fail } = useAction();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [historyRevision, setHistoryRevision] = useState(0);
  const historyChanged = () => setHistoryRevision((n) => n + 1);
  const privacy = usePrivacy(id ?? 0, customer ? fullName(customer.fields) : "", historyChanged);

  useEffect(() => {
    if (id !== null) void call(commands.getCustomer(id)).then(setCustomer, fail);
  }, [id, revision, fail]);

  async function changed(next: Customer) {
    setCustomer(next);
    historyChanged();
    await reload();
  }

  /** Saves the form; a validation's messages come back for the form to show beside each field. */
  async function save(fields: CustomerFields): Promise<Record<string, string>> {
    let invalid: Record<string, string> = {};
    await run(async () => {
      try {
        if (id === null) {
          const created = await call(commands.createCustomer(fields));
          await reload();
          onCreated(created.id);
        } else {
          await changed(await call(commands.updateCustomer(id, fields)));
        }
      } catch (e) {
        if (!(e instanceof ApiError && e.fields.length > 0)) throw e;
        invalid = e.fieldMessages();
      }
    });
    return invalid;
  }

  async function toggleTrash() {
    if (!customer) return;
    if (!customer.deleted_at && !window.confirm(t.detail.trashConfirm)) return;
    await run(async () => {
      await call(customer.deleted_at ? commands.restoreCustomer(customer.id) : commands.trashCustomer(customer.id));
      await changed(await call(commands.getCustomer(customer.id)));
    });
  }

  return { customer, error, historyRevision, historyChanged, privacy, changed, save, toggleTrash };
}
