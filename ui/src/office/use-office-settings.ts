// Settings → 複数台で使う: this PC's place in the office (on its own, the
// hub, or one of the PCs), becoming the hub, pairing codes, joining with
// its progress, the customers this PC had before joining, and leaving.
import { useCallback, useEffect, useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import {
  ApiError,
  call,
  commands,
  messageOf,
  type FoundHub,
  type ImportOutcome,
  type JoinStep,
  type Joined,
  type Left,
  type OfficeSetup,
  type PairingOffer,
  type PreviousPreview,
} from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { codeComplete, normalizeCode } from "./join";

export type OfficeSettings = ReturnType<typeof useOfficeSettings>;

/** The customers this PC had, offered for import once it joined. */
export type Previous = {
  path: string;
  customers: number;
  preview: PreviousPreview | null;
  outcome: ImportOutcome | null;
  skipped: boolean;
};

/** The hubs found on this PC's network (a failure is shown beside the
 *  list, not as an error: the address can still be typed). */
export type HubSearch = { searching: boolean; found: FoundHub[]; failed: string | null };

export function useOfficeSettings() {
  const { reload, may, revision } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [setup, setSetup] = useState<OfficeSetup | null>(null);
  const [offer, setOffer] = useState<PairingOffer | null>(null);
  const [form, setForm] = useState({ address: "", code: "", pcName: null as string | null });
  const [step, setStep] = useState<JoinStep | null>(null);
  const [joined, setJoined] = useState<Joined | null>(null);
  const [previous, setPrevious] = useState<Previous | null>(null);
  const [left, setLeft] = useState<Left | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [search, setSearch] = useState<HubSearch>({ searching: true, found: [], failed: null });

  const refresh = useCallback(() => call(commands.officeSetup()).then(setSetup, fail), [fail]);
  // Read again after every write and arrival: a PC that joined meanwhile is listed.
  useEffect(() => void refresh(), [refresh, revision]);

  /** Seeds the hub from this ledger and shows the first pairing code. */
  const becomeHub = () =>
    run(async () => {
      setSetup(await call(commands.becomeHub()));
      await reload();
      setOffer(await call(commands.pairingCode()));
    });

  /** Lists the hubs that answer on this network; when there is one, its
   *  address fills an empty address field. */
  const lookUp = useCallback(
    () =>
      call(commands.findHubs()).then(
        (found) => {
          setSearch({ searching: false, found, failed: null });
          if (found.length === 1) setForm((f) => (f.address.trim() ? f : { ...f, address: found[0].address }));
        },
        (e: unknown) => setSearch({ searching: false, found: [], failed: messageOf(e, "") }),
      ),
    [],
  );
  const findHubs = () => {
    setSearch({ searching: true, found: [], failed: null });
    void lookUp();
  };
  // Searched for as soon as the join form is shown.
  const alone = setup?.role === "alone";
  useEffect(() => {
    if (alone) void lookUp();
  }, [alone, lookUp]);

  const newCode = () => run(async () => setOffer(await call(commands.pairingCode())));

  // The name prefilled from this PC's own until the person types another.
  const pcName = form.pcName ?? setup?.pc_name ?? "";
  const edit = {
    address: (address: string) => setForm((f) => ({ ...f, address })),
    code: (code: string) => setForm((f) => ({ ...f, code: normalizeCode(code) })),
    pcName: (name: string) => setForm((f) => ({ ...f, pcName: name })),
  };
  const mayJoin = form.address.trim() !== "" && codeComplete(form.code) && pcName.trim() !== "";

  async function join() {
    const progress = new Channel<JoinStep>();
    progress.onmessage = setStep;
    setStep("pairing");
    await run(async () => {
      const done = await call(commands.joinOffice(form.address.trim(), form.code, pcName.trim(), progress));
      setJoined(done);
      await reload();
      await refresh();
      if (done.previous_ledger) {
        const path = done.previous_ledger;
        setPrevious({ path, customers: done.previous_customers, preview: null, outcome: null, skipped: false });
        const preview = await call(commands.previewPreviousLedger(path));
        setPrevious((p) => p && { ...p, preview });
      }
    });
    setStep(null);
  }

  const importPrevious = () =>
    run(async () => {
      if (!previous) return;
      const outcome = await call(commands.importPreviousLedger(previous.path));
      setPrevious({ ...previous, outcome });
      await reload();
    });

  const skipPrevious = () => setPrevious((p) => p && { ...p, skipped: true });

  /** Leaves the office; when the hub does not answer, offers leaving
   *  without sending (`force`). */
  const leave = (force: boolean) =>
    run(async () => {
      setUnreachable(false);
      try {
        setLeft(await call(commands.leaveOffice(force)));
      } catch (e) {
        setUnreachable(e instanceof ApiError && e.code === "hub_unreachable");
        throw e;
      }
      setJoined(null);
      setOffer(null);
      await reload();
      await refresh();
    });

  return {
    ...action,
    setup,
    offer,
    form: { ...form, pcName },
    edit,
    search,
    findHubs,
    mayJoin,
    step,
    joined,
    previous,
    mayImport: may("import"),
    left,
    unreachable,
    becomeHub,
    newCode,
    join,
    importPrevious,
    skipPrevious,
    leave,
  };
}
