import { useState } from "react";
import { call, commands, type Stage, type Status, type StatusInput } from "../shared/api";
import { OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { ListSection } from "./ListTabs";
import { useWrite } from "./use-write";
import { t } from "../i18n";

const toInput = (s: Status): StatusInput => ({
  id: s.id,
  name: s.name,
  stage: s.stage,
  dm_allowed: s.dm_allowed,
  color: s.color,
  retired: s.retired,
});

/** The ids in their new order once `id` moves to `index`. */
export function reordered(ids: number[], id: number, index: number): number[] {
  const rest = ids.filter((x) => x !== id);
  rest.splice(Math.max(0, Math.min(index, rest.length)), 0, id);
  return rest;
}

/** The statuses in list order: renamed, staged, coloured, retired, dragged into place. */
export function StatusesTab() {
  const { statuses } = useLedger();
  const { error, write } = useWrite();
  const [dragged, setDragged] = useState<number | null>(null);

  const moveTo = (id: number, index: number) =>
    void write(() =>
      call(
        commands.reorderStatuses(
          reordered(
            statuses.map((s) => s.id),
            id,
            index,
          ),
        ),
      ),
    );

  function drop(targetId: number) {
    if (dragged !== null && dragged !== targetId)
      moveTo(
        dragged,
        statuses.findIndex((s) => s.id === targetId),
      );
    setDragged(null);
  }

  return (
    <ListSection
      title={t.settings.tabs.statuses}
      error={error}
      addLabel={t.settings.addStatus}
      onAdd={(name) =>
        write(() => call(commands.saveStatus({ id: null, name, stage: "nurture", dm_allowed: true, color: "#64748b", retired: false })))
      }
    >
      <p className="muted">{t.settings.dragHint}</p>
      <table className="settings-table" data-testid="status-table">
        <thead>
          <tr>
            <th />
            <th>{t.settings.statusName}</th>
            <th>{t.settings.stage}</th>
            <th>{t.settings.dmAllowed}</th>
            <th>{t.settings.color}</th>
            <th>{t.settings.retired}</th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((s, i) => (
            <tr
              key={s.id}
              draggable
              onDragStart={() => setDragged(s.id)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={() => drop(s.id)}
              className={s.retired ? "retired" : ""}
            >
              <td className="handle">
                ⋮⋮
                <button className="ghost small" aria-label={t.settings.moveUp} onClick={() => moveTo(s.id, i - 1)}>
                  ↑
                </button>
                <button className="ghost small" aria-label={t.settings.moveDown} onClick={() => moveTo(s.id, i + 1)}>
                  ↓
                </button>
              </td>
              <StatusCells status={s} save={(patch) => void write(() => call(commands.saveStatus({ ...toInput(s), ...patch })))} />
            </tr>
          ))}
        </tbody>
      </table>
    </ListSection>
  );
}

function StatusCells({ status: s, save }: { status: Status; save: (patch: Partial<StatusInput>) => void }) {
  return (
    <>
      <td>
        <input defaultValue={s.name} onBlur={(e) => e.target.value !== s.name && save({ name: e.target.value })} />
      </td>
      <td>
        <select value={s.stage} onChange={(e) => save({ stage: e.target.value as Stage })}>
          <OptionsOf labels={t.stages} />
        </select>
      </td>
      <td>
        <input type="checkbox" checked={s.dm_allowed} onChange={(e) => save({ dm_allowed: e.target.checked })} />
      </td>
      <td>
        <input type="color" value={s.color} onChange={(e) => save({ color: e.target.value })} />
      </td>
      <td>
        <input type="checkbox" checked={s.retired} onChange={(e) => save({ retired: e.target.checked })} />
      </td>
    </>
  );
}
