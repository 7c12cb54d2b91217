// 「確認が必要な変更」: the open conflict cards, read again after every write
// and arrival, and settling one (an ordinary audited edit that closes the
// card on every PC).
import { useEffect, useState } from "react";
import { call, commands, type ConflictCard, type Settle } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { sortCards } from "./inbox";

export function useInbox() {
  const { revision, reload, staff, statuses, may } = useLedger();
  const { error, busy, run, fail } = useAction();
  const [cards, setCards] = useState<ConflictCard[] | null>(null);

  useEffect(() => void call(commands.conflictCards()).then(setCards, fail), [revision, fail]);

  /** Resolves to true once settled (the card then leaves the list). */
  const settle = (id: number, how: Settle) =>
    run(async () => {
      await call(commands.resolveConflict(id, how));
      await reload();
      return true;
    });

  return {
    ...sortCards(cards ?? []),
    loaded: cards !== null,
    names: { staff, statuses },
    mayResolve: may("customers"),
    error,
    busy,
    settle,
  };
}
