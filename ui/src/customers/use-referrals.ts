// Who referred a customer and whom they referred: the referrer search and
// setting or clearing the referrer.
import { useEffect, useState } from "react";
import { call, commands, type Customer, type CustomerRow, type Referrals } from "../shared/api";
import { emptyQuery } from "../shared/query";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export function useReferrals(customer: Customer, onChanged: (c: Customer) => void) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [info, setInfo] = useState<Referrals | null>(null);
  const [text, setText] = useState("");
  const [found, setFound] = useState<CustomerRow[]>([]);

  useEffect(() => void call(commands.customerReferrals(customer.id)).then(setInfo, fail), [customer, fail]);

  // Candidates a moment after typing stops; the customer is never their own referrer.
  useEffect(() => {
    if (text.trim().length === 0) return;
    const timer = window.setTimeout(() => {
      call(commands.listCustomers({ ...emptyQuery, text, limit: 8 })).then(
        (page) => setFound(page.rows.filter((r) => r.id !== customer.id)),
        fail,
      );
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text, customer.id, fail]);

  const setReferrer = (id: number | null) =>
    run(async () => {
      const next = await call(commands.updateCustomer(customer.id, { ...customer.fields, referrer_id: id }));
      setText("");
      onChanged(next);
      await reload();
    });

  // A validation's messages all belong to the one referrer field.
  const error = action.error ?? (Object.values(action.fieldErrors).join(" ") || null);
  const candidates = text.trim() ? found : [];

  return { info, text, setText, candidates, error, setReferrer };
}
