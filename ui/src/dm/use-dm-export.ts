// The export panel's state: the office's choices, the checked list
// (prepared, nothing written), approval of its findings, and the export.
// A prepared list and an outcome belong to the filter they were made for, so
// choosing another segment hides them at once.
import { useEffect, useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, type CheckOptions, type ExportOutcome, type Group, type Prepared } from "../shared/api";
import { useAction } from "../shared/use-action";
import { EXTENSION, type ExportChoices, exportRequest, initialChoices, isPrint, suggestedFile } from "./export";
import { usePrint } from "./use-print";

export type DmExport = ReturnType<typeof useDmExport>;

/** Choices that change the file's rows or cells: the checked list no longer shows it. */
const RESHAPING: (keyof ExportChoices)[] = ["format", "order", "maxJoint", "columns", "print"];

export function useDmExport(segmentName: string, filter: Group, onExported: () => void) {
  const action = useAction();
  const { run, fail } = action;
  const [choices, setChoices] = useState<ExportChoices>(initialChoices);
  const [checks, setChecks] = useState<CheckOptions | null>(null);
  const [checked, setChecked] = useState<{ filter: Group; prepared: Prepared } | null>(null);
  const [approved, setApproved] = useState(false);
  const [dest, setDest] = useState("");
  const [done, setDone] = useState<{ filter: Group; outcome: ExportOutcome } | null>(null);

  // The checks' limits and words are the office's, kept in the ledger.
  useEffect(() => void call(commands.getCheckOptions()).then(setChecks, fail), [fail]);

  const prepared = checked?.filter === filter ? checked.prepared : null;
  const outcome = done?.filter === filter ? done.outcome : null;

  function choose(patch: Partial<ExportChoices>) {
    setChoices((c) => ({ ...c, ...patch }));
    if (RESHAPING.some((key) => key in patch)) setChecked(null);
  }

  function changeChecks(next: CheckOptions) {
    setChecks(next);
    setChecked(null);
  }

  const request = async () => exportRequest(segmentName, filter, choices, checks ?? (await call(commands.getCheckOptions())));

  const print = usePrint(action, choices.print, (options) => choose({ print: options }), request);

  const prepare = () =>
    run(async () => {
      setChecked({ filter, prepared: await call(commands.prepareDm(await request())) });
      setApproved(false);
    });

  async function chooseDest() {
    const extension = EXTENSION[choices.format];
    const picked = await save({
      defaultPath: suggestedFile(choices.campaign, segmentName, choices.format),
      filters: [{ name: choices.format === "xlsx" ? "Excel" : isPrint(choices.format) ? "PDF" : "CSV", extensions: [extension] }],
    });
    if (picked) setDest(picked);
  }

  const exportList = () =>
    run(async () => {
      setDone({ filter, outcome: await call(commands.exportDm(await request(), dest, approved)) });
      onExported();
    });

  return {
    ...action,
    choices,
    print,
    checks,
    prepared,
    outcome,
    approved,
    dest,
    choose,
    changeChecks,
    setApproved,
    setDest,
    prepare,
    chooseDest,
    exportList,
  };
}
