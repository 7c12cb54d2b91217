// The partner's sheet (協力業者への一覧): where to save the .xlsx of their
// open requests, and writing it. A path chosen in the save dialog may
// replace a file (the dialog asked); a typed one never does. The place
// belongs to the partner it was chosen for, so choosing another clears it.
import { useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, type ListEntry } from "../shared/api";
import { localDate } from "../shared/format";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

type Place = { partnerId: number; dest: string; replace: boolean };

export type PartnerSheet = ReturnType<typeof usePartnerSheet>;

export function usePartnerSheet(partner: ListEntry | null) {
  const action = useAction();
  const [place, setPlace] = useState<Place | null>(null);
  const [notice, setNotice] = useState<{ partnerId: number; text: string } | null>(null);
  const current = partner && place?.partnerId === partner.id ? place : null;

  const typeDest = (dest: string) => partner && setPlace({ partnerId: partner.id, dest, replace: false });

  async function chooseDest() {
    if (!partner) return;
    const picked = await save({
      defaultPath: t.requests.sheet.file(partner.name, localDate(new Date())),
      filters: [{ name: "Excel", extensions: ["xlsx"] }],
    });
    if (picked) setPlace({ partnerId: partner.id, dest: picked, replace: true });
  }

  const write = () =>
    action.run(async () => {
      if (!partner || !current) return;
      const rows = await call(commands.exportPartnerSheet(partner.id, current.dest, current.replace));
      setNotice({ partnerId: partner.id, text: t.requests.sheet.done(rows, current.dest) });
    });

  return {
    ...action,
    dest: current?.dest ?? "",
    notice: partner && notice?.partnerId === partner.id ? notice.text : null,
    typeDest,
    chooseDest,
    write,
  };
}
