// The office's after-care requests across every customer: which chip is
// chosen, and the requests it shows in the order they are worked through.
import { useEffect, useMemo, useState } from "react";
import { call, commands, type ServiceRequest } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { filterOf, workOrder, type Chip } from "./requests-list";

export type RequestsScreenState = ReturnType<typeof useRequestsScreen>;

export function useRequestsScreen() {
  const { settings } = useLedger();
  const { error, fail } = useAction();
  const [chip, setChip] = useState<Chip>("open");
  const [requests, setRequests] = useState<ServiceRequest[] | null>(null);
  const me = settings.current_staff_id;
  const filter = useMemo(() => filterOf(chip, me), [chip, me]);

  useEffect(() => {
    if (!filter) return;
    let current = true;
    call(commands.listRequests(filter)).then((r) => current && setRequests(workOrder(r)), fail);
    // A slower answer for a chip no longer chosen must not replace the newer one.
    return () => {
      current = false;
    };
  }, [filter, fail]);

  return { chip, setChip, requests: filter ? requests : [], error, canChooseMine: me !== null };
}
