// The header's staff picker: with sign-in off a choice switches at once (as
// before); with it on, the person switched to types their own PIN first.
import { useState } from "react";
import type { Staff } from "./api";
import { useLedger } from "./ledger-context";
import { useAction } from "./use-action";

export function useStaffSwitch() {
  const { session, switchStaff, lock } = useLedger();
  const [asking, setAsking] = useState<Staff | null>(null);
  const [pin, setPin] = useState("");
  const action = useAction();
  const { run, clear } = action;

  function choose(member: Staff) {
    if (!session.sign_in_required) {
      void run(() => switchStaff(member.id, null));
      return;
    }
    clear();
    setPin("");
    setAsking(member);
  }

  async function confirm() {
    if (!asking || !pin) return;
    const done = await run(async () => {
      await switchStaff(asking.id, pin);
      return true;
    });
    if (done) setAsking(null);
    else setPin("");
  }

  function cancel() {
    clear();
    setAsking(null);
  }

  return { session, asking, pin, setPin, choose, confirm, cancel, lock: () => run(lock), error: action.error, busy: action.busy };
}
