// Settings → アフター: the office's lists for after-care requests (分類,
// 原因, 協力業者: add, rename, retire), its own warranty period per
// category, and whether DM lists leave out customers with an open request.
// A write's outcome is told where it was made (its list, the warranties,
// the DM switch), since the tab is longer than the window.
import { useEffect, useState } from "react";
import { call, commands, type ListEntry, type ListEntryInput, type RequestList, type RequestSettings } from "../shared/api";
import { useAction } from "../shared/use-action";
import { withYears } from "./after-care";
import { t } from "../i18n";

export type AfterCareSettings = ReturnType<typeof useAfterCareSettings>;

export const REQUEST_LISTS: RequestList[] = ["category", "cause", "partner"];

/** Where a write was made. */
export type Place = RequestList | "warranty" | "dm";

export function useAfterCareSettings() {
  const { error, fieldErrors, run, fail } = useAction();
  const [lists, setLists] = useState<Record<RequestList, ListEntry[]>>({ category: [], cause: [], partner: [] });
  const [settings, setSettings] = useState<RequestSettings | null>(null);
  const [last, setLast] = useState<{ place: Place; saved: boolean } | null>(null);

  useEffect(() => {
    Promise.all([
      call(commands.requestList("category")),
      call(commands.requestList("cause")),
      call(commands.requestList("partner")),
      call(commands.getRequestSettings()),
    ]).then(([category, cause, partner, saved]) => {
      setLists({ category, cause, partner });
      setSettings(saved);
    }, fail);
  }, [fail]);

  /** Runs a write made at `place`, remembering where for its outcome. */
  const writeAt = (place: Place, work: () => Promise<void>) => {
    setLast({ place, saved: false });
    return run(async () => {
      await work();
      setLast({ place, saved: true });
      return true;
    });
  };

  /** Adds, renames or retires an entry; a renamed category keeps its period. */
  const saveEntry = (list: RequestList, input: ListEntryInput) =>
    writeAt(list, async () => {
      const entries = await call(commands.saveRequestListEntry(list, input));
      setLists((l) => ({ ...l, [list]: entries }));
      if (list === "category") setSettings(await call(commands.getRequestSettings()));
    });

  const save = (place: Place, next: RequestSettings) =>
    writeAt(place, async () => setSettings(await call(commands.saveRequestSettings(next))));

  const setYears = (category: string, text: string) => settings && save("warranty", withYears(settings, category, text));
  const setExcludeOpen = (exclude: boolean) => settings && save("dm", { ...settings, exclude_open_from_dm: exclude });

  /** The failure of the last write if it was made at `place` (a list's names come back as a field). */
  const errorAt = (place: Place): string | null =>
    last?.place === place ? (error ?? (Object.values(fieldErrors)[0] as string | undefined) ?? null) : null;

  /** 保存しました under the warranties or the DM switch, once their write went through. */
  const noticeAt = (place: Place): string | null => (last?.place === place && last.saved ? t.afterCare.saved : null);

  return { lists, settings, saveEntry, setYears, setExcludeOpen, errorAt, noticeAt, loadError: last === null ? error : null };
}
