// The segment builder's state: the saved segments and lists, the one being
// edited, and its live count, which follows every edit a moment after it.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type FilterPreview, type Group, type Segment } from "../shared/api";
import { useAction } from "../shared/use-action";
import { type Editing, everyone, inList, opened, toSave } from "./segment";
import { t } from "../i18n";

export type Segments = ReturnType<typeof useSegments>;

export function useSegments() {
  const action = useAction();
  const { run, fail } = action;
  const [segments, setSegments] = useState<Segment[]>([]);
  const [editing, setEditing] = useState<Editing>(everyone);
  // The count belongs to the filter it was made for; an edit makes it stale at once.
  const [counted, setCounted] = useState<{ filter: Group; preview: FilterPreview } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(() => call(commands.listSegments()).then(setSegments, fail), [fail]);
  useEffect(() => void refresh(), [refresh]);

  const filter = editing.filter;
  useEffect(() => {
    const timer = window.setTimeout(
      () => call(commands.previewFilter(filter)).then((preview) => setCounted({ filter, preview }), fail),
      250,
    );
    return () => window.clearTimeout(timer);
  }, [filter, fail]);
  const preview = counted?.filter === filter ? counted.preview : null;

  const edit = (patch: Partial<Editing>) => setEditing((e) => ({ ...e, ...patch }));
  const setFilter = (next: Group) => edit({ filter: next });

  const save = () =>
    run(async () => {
      const saved = await call(commands.saveSegment(toSave(editing)));
      setEditing(opened(saved));
      setNotice(t.dm.saved);
      await refresh();
    });

  /** Today's members of the filter, kept as a list that no longer follows it. */
  const snapshot = () =>
    run(async () => {
      const list = await call(commands.snapshotSegment(t.dm.snapshotName(editing.name), editing.filter));
      setEditing(opened(list));
      await refresh();
    });

  const removeMember = (customerId: number) =>
    run(async () => {
      if (editing.id === null) return;
      await call(commands.setListMembers(editing.id, [], [customerId]));
      setFilter(inList(editing.id));
    });

  return { ...action, segments, editing, preview, notice, setEditing, edit, setFilter, save, snapshot, removeMember };
}
