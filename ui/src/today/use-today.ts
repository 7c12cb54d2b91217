// Today's lists, read again after every write; a follow-up done from here.
import { useEffect, useState } from "react";
import { call, commands, type Today, type TodayItem } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export function useToday() {
  const { revision, reload } = useLedger();
  const { error, run, fail } = useAction();
  const [today, setToday] = useState<Today | null>(null);

  useEffect(() => void call(commands.today()).then(setToday, fail), [revision, fail]);

  const complete = (item: TodayItem) =>
    run(async () => {
      if (item.task_id === null) return;
      await call(commands.setTaskDone(item.task_id, true));
      await reload();
    });

  return { today, error, complete };
}
