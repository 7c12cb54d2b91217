// The ⚠ beside a customer's field that has an open card in the inbox
// 「確認が必要な変更」: which fields (read again after every write and
// arrival), and the way to the inbox, given once by the detail panel to
// every field of its form.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { call, commands } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

type Marks = { fields: ReadonlySet<string>; onInbox: () => void };

const Context = createContext<Marks>({ fields: new Set(), onInbox: () => undefined });

/** The customer's fields edited on two PCs at once, not yet settled. */
export function useConflictedFields(customerId: number | null) {
  const { revision } = useLedger();
  const { error, fail } = useAction();
  const [fields, setFields] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (customerId !== null) void call(commands.conflictedFields(customerId)).then((names) => setFields(new Set(names)), fail);
  }, [customerId, revision, fail]);
  return { fields, error };
}

export function ConflictMarks({ fields, onInbox, children }: Marks & { children: ReactNode }) {
  return <Context.Provider value={{ fields, onInbox }}>{children}</Context.Provider>;
}

/** ⚠ after a field's name when it has an open card; a click or Enter opens
 *  the inbox. Not a button: a button inside the field's <label> would take
 *  the label's clicks from the input. */
export function ConflictMark({ name }: { name: string }) {
  const { fields, onInbox } = useContext(Context);
  if (!fields.has(name)) return null;
  return (
    <span
      className="conflict-mark"
      role="link"
      tabIndex={0}
      title={t.office.conflictMark}
      aria-label={t.office.conflictMark}
      onClick={(e) => {
        e.preventDefault();
        onInbox();
      }}
      onKeyDown={(e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        onInbox();
      }}
      data-testid={`conflict-mark-${name}`}
    >
      ⚠
    </span>
  );
}
