// Today's lists, as the ledger context last read them (after every write);
// a follow-up done from here.
import { call, commands, type TodayItem } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export function useToday() {
  const { today, reload } = useLedger();
  const { error, run } = useAction();

  const complete = (item: TodayItem) =>
    run(async () => {
      if (item.task_id === null) return;
      await call(commands.setTaskDone(item.task_id, true));
      await reload();
    });

  return { today, error, complete };
}
