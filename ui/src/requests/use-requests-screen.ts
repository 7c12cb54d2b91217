// The office's after-care requests across every customer: which chip is
// chosen (and which partner, if one), and the requests it shows in the
// order they are worked through.
import { useEffect, useMemo, useState } from "react";
import { call, commands, type ListEntry, type ServiceRequest } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { filterOf, workOrder, type Chip } from "./requests-list";

export type RequestsScreenState = ReturnType<typeof useRequestsScreen>;

export function useRequestsScreen() {
  const { session } = useLedger();
  const { error, fail } = useAction();
  const [chip, setChip] = useState<Chip>("open");
  const [partners, setPartners] = useState<ListEntry[]>([]);
  const [partnerId, setPartnerId] = useState<number | null>(null);
  const [requests, setRequests] = useState<ServiceRequest[] | null>(null);
  const me = session.acting?.staff_id ?? null;
  const filter = useMemo(() => filterOf(chip, me, partnerId), [chip, me, partnerId]);

  useEffect(() => void call(commands.requestList("partner")).then((all) => setPartners(all.filter((p) => !p.retired)), fail), [fail]);

  useEffect(() => {
    if (!filter) return;
    let current = true;
    call(commands.listRequests(filter)).then((r) => current && setRequests(workOrder(r)), fail);
    // A slower answer for a chip no longer chosen must not replace the newer one.
    return () => {
      current = false;
    };
  }, [filter, fail]);

  return {
    chip,
    setChip,
    partners,
    partner: partners.find((p) => p.id === partnerId) ?? null,
    setPartnerId,
    requests: filter ? requests : [],
    error,
    canChooseMine: me !== null,
  };
}
