// Settings → 担当者: members, their roles and PINs. A 管理者 changes anyone
// (and resets a forgotten PIN); everyone else reads the list and sets their
// own PIN.
import { useState } from "react";
import { call, commands, type Role, type Staff, type StaffInput } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { useWrite } from "./use-write";
import { t } from "../i18n";

const toInput = (s: Staff): StaffInput => ({ id: s.id, name: s.name, kana: s.kana, active: s.active, role: s.role });

export type StaffSettings = ReturnType<typeof useStaffSettings>;

export function useStaffSettings() {
  const { staff, session, may, reload } = useLedger();
  const { error, write } = useWrite();
  const canEdit = may("staff");
  const me = session.acting?.staff_id ?? null;

  const [newName, setNewName] = useState("");
  const [newRole, setNewRole] = useState<Role>("sales");

  const save = (member: Staff, change: Partial<StaffInput>) => write(() => call(commands.saveStaff({ ...toInput(member), ...change })));

  async function add() {
    if (!newName.trim()) return;
    const done = await write(() => call(commands.saveStaff({ id: null, name: newName, kana: "", active: true, role: newRole })));
    if (done) setNewName("");
  }

  const pin = usePinSetting(reload);
  return {
    staff,
    canEdit,
    me,
    error,
    save,
    newName,
    setNewName,
    newRole,
    setNewRole,
    add,
    pin,
    mayPin: (m: Staff) => canEdit || m.id === me,
  };
}

/** The 「PINを設定」 dialog: the new PIN twice, so that a typo does not lock anyone out. */
function usePinSetting(reload: () => Promise<void>) {
  const [member, setMember] = useState<Staff | null>(null);
  const [pin, setPin] = useState("");
  const [repeat, setRepeat] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const action = useAction();
  const [mismatch, setMismatch] = useState(false);

  function open(m: Staff) {
    action.clear();
    setMismatch(false);
    setPin("");
    setRepeat("");
    setMessage(null);
    setMember(m);
  }

  async function submit() {
    if (!member) return;
    setMismatch(pin !== repeat);
    if (pin !== repeat) return;
    const done = await action.run(async () => {
      await call(commands.setPin(member.id, pin));
      await reload();
      return true;
    });
    if (done) {
      setMessage(t.pin.saved(member.name));
      setMember(null);
    }
  }

  const error = mismatch ? t.pin.mismatch : (action.error ?? action.fieldErrors.pin ?? null);
  return { member, pin, setPin, repeat, setRepeat, open, submit, cancel: () => setMember(null), error, busy: action.busy, message };
}
