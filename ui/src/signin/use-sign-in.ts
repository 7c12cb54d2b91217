// The sign-in screen's state and IPC: who may sign in (asked while the
// ledger is locked), the name chosen, the PIN typed, and signing in.
import { useEffect, useState, type FormEvent } from "react";
import { call, commands, type Acting } from "../shared/api";
import { useAction } from "../shared/use-action";

export function useSignIn(onSignedIn: () => void) {
  const [choices, setChoices] = useState<Acting[] | null>(null);
  const [staffId, setStaffId] = useState<number | null>(null);
  const [pin, setPin] = useState("");
  const action = useAction();
  const { fail, run } = action;

  useEffect(() => {
    call(commands.signInChoices()).then((found) => {
      setChoices(found);
      // One person only: nothing to choose.
      if (found.length === 1) setStaffId(found[0].staff_id);
    }, fail);
  }, [fail]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (staffId === null || !pin) return;
    const done = await run(async () => {
      await call(commands.signIn(staffId, pin));
      return true;
    });
    if (done) onSignedIn();
    else setPin("");
  }

  return { choices, staffId, setStaffId, pin, setPin, submit, busy: action.busy, error: action.error };
}
