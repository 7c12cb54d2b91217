// Settings → フォロー and キャンペーン: saving the follow-up rules, the
// contact kinds and the campaigns; the ledger's lists are read again after each.
import { useState } from "react";
import { call, commands, type CampaignInput, type FollowUpSettings } from "../shared/api";
import { splitList } from "../shared/format";
import { useWrite } from "./use-write";
import { t } from "../i18n";

/** The rules as the form edits them: the two lists as typed text. */
export interface FollowUpDraft {
  settings: FollowUpSettings;
  months: string;
  reasons: string;
}

export const draftOf = (settings: FollowUpSettings): FollowUpDraft => ({
  settings,
  months: settings.aftercare_months.join(t.app.listSeparator),
  reasons: settings.lost_reasons.join(t.app.listSeparator),
});

/** The rules to save; a month that is not a number is dropped. */
export const settingsOf = (draft: FollowUpDraft): FollowUpSettings => ({
  ...draft.settings,
  aftercare_months: splitList(draft.months)
    .map(Number)
    .filter((n) => Number.isFinite(n)),
  lost_reasons: splitList(draft.reasons),
});

export function useFollowUpSettings() {
  const action = useWrite();
  const { write } = action;
  const [notice, setNotice] = useState<string | null>(null);

  const save = (draft: FollowUpDraft) =>
    write(async () => {
      await call(commands.saveFollowUpSettings(settingsOf(draft)));
      setNotice(t.followUp.saved);
    });

  const saveKind = (id: number | null, name: string, retired: boolean) =>
    write(() => call(commands.saveContactKind({ id, name, retired })));

  return { ...action, notice, save, saveKind };
}

export function useCampaignSettings() {
  const action = useWrite();
  const saveCampaign = (draft: CampaignInput) => action.write(() => call(commands.saveCampaign(draft)));
  return { ...action, saveCampaign };
}
