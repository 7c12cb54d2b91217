// Where this PC stands with the office hub, polled every 2 s for the
// header, and the inbox's count for the navigation. When another PC's
// changes arrive the ledger's lists are read again through the one reload
// every write already uses, so every screen shows them.
import { useEffect, useRef, useState } from "react";
import { call, commands, type SyncStatus } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { arrived, describeSync, inOffice } from "./sync-state";
import { inboxCount } from "./inbox";

const EVERY_MS = 2000;

export type OfficeSync = ReturnType<typeof useOfficeSync>;

export function useOfficeSync() {
  const { reload, revision } = useLedger();
  const { error, fail, run, busy } = useAction();
  const [status, setStatus] = useState<SyncStatus>({ state: "idle" });
  const [count, setCount] = useState(0);
  const seen = useRef<number | null>(null);

  useEffect(() => {
    let live = true;
    const poll = () =>
      commands.syncInfo().then((info) => {
        if (!live) return;
        setStatus(info.status);
        if (arrived(seen.current, info.arrivals)) void reload();
        seen.current = info.arrivals;
      }, fail);
    void poll();
    const timer = window.setInterval(() => void poll(), EVERY_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [reload, fail]);

  // Read again after every write and every arrival (both bump the revision).
  useEffect(() => void call(commands.conflictCards()).then((cards) => setCount(inboxCount(cards)), fail), [revision, fail]);

  /** 「親機の台帳に合わせる」: the hub's copy replaces this PC's drifted one
   *  (kept beside it, as `kept` says); sync starts again. */
  const [kept, setKept] = useState<string | null>(null);
  const repair = () =>
    run(async () => {
      setKept(await call(commands.repairFromHub()));
      await reload();
    });

  return { line: describeSync(status), inOffice: inOffice(status), count, error, repair, busy, kept };
}
