// A write from Settings: its failure shown through useAction(), and the
// ledger's lists (statuses, labels, staff …) read again after it succeeds.
// `write` resolves to true once it succeeded.
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export function useWrite() {
  const { reload } = useLedger();
  const action = useAction();
  const write = (work: () => Promise<unknown>) =>
    action.run(async () => {
      await work();
      await reload();
      return true;
    });
  return { ...action, write };
}
