// Settings → 権限とサインイン: the office's access choices as a draft saved
// with one button (turning sign-in on is refused, with the ledger's message,
// until the 管理者 saving it has a PIN), and the table of who may do what.
import { useEffect, useState } from "react";
import { call, commands, type AccessSettings, type Role } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export type Access = ReturnType<typeof useAccessSettings>;

export function useAccessSettings() {
  const { may, rules, reload } = useLedger();
  const [draft, setDraft] = useState<AccessSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const { fail, run } = action;

  useEffect(() => {
    call(commands.getAccessSettings()).then(setDraft, fail);
  }, [fail]);

  function change(next: Partial<AccessSettings>) {
    setSaved(false);
    setDraft((d) => (d ? { ...d, ...next } : d));
  }

  function toggleSensitive(role: Role, on: boolean) {
    if (!draft) return;
    change({ sensitive_roles: on ? [...draft.sensitive_roles, role] : draft.sensitive_roles.filter((r) => r !== role) });
  }

  async function save() {
    if (!draft) return;
    const done = await run(async () => {
      await call(commands.saveAccessSettings(draft));
      await reload();
      return true;
    });
    setSaved(done === true);
  }

  return {
    draft,
    change,
    toggleSensitive,
    save,
    saved,
    rules,
    canEdit: may("staff"),
    error: action.error,
    fieldErrors: action.fieldErrors,
    busy: action.busy,
  };
}
