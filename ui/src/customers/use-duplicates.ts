// 重複の候補: the candidate pairs, the side-by-side merge of one pair, and
// the undo of a merge. Every call to Rust is here; DuplicatesScreen lays it out.
import { useEffect, useState } from "react";
import { call, commands, type DuplicatePair, type MergePlan, type MergeRecord, type Pick } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";

export type Duplicates = ReturnType<typeof useDuplicates>;

export function useDuplicates() {
  const { revision, reload } = useLedger();
  const [pairs, setPairs] = useState<DuplicatePair[] | null>(null);
  const [merges, setMerges] = useState<MergeRecord[]>([]);
  const [plan, setPlan] = useState<MergePlan | null>(null);
  // The office's picks, by field; a field not here takes the plan's default.
  const [picks, setPicks] = useState<Record<string, Pick>>({});
  const [done, setDone] = useState<MergeRecord | null>(null);
  const { busy, error, run, fail, clear } = useAction();

  useEffect(() => {
    Promise.all([call(commands.duplicateCandidates()), call(commands.listMerges())]).then(([found, history]) => {
      setPairs(found);
      setMerges(history);
    }, fail);
  }, [revision, fail]);

  /** Opens the side-by-side dialog with `kept` as the record that stays. */
  const openMerge = (kept: number, other: number) =>
    run(async () => {
      setPlan(await call(commands.mergePlan(kept, other)));
      setPicks({});
      setDone(null);
    });

  /** The other record stays instead; the office's picks follow their values. */
  const swap = () => {
    if (!plan) return;
    const flipped = Object.fromEntries(Object.entries(picks).map(([f, p]) => [f, p === "kept" ? "other" : p === "other" ? "kept" : p]));
    void openMerge(plan.other.id, plan.kept.id).then(() => setPicks(flipped as Record<string, Pick>));
  };

  const pickOf = (field: string): Pick => picks[field] ?? plan?.fields.find((f) => f.field === field)?.pick ?? "kept";
  const choose = (field: string, pick: Pick) => setPicks((p) => ({ ...p, [field]: pick }));
  const cancel = () => {
    setPlan(null);
    clear();
  };

  const merge = () =>
    run(async () => {
      if (!plan) return;
      const chosen = plan.fields.map((f) => ({ field: f.field, pick: pickOf(f.field) }));
      setDone(await call(commands.mergeCustomers(plan.kept.id, plan.other.id, chosen)));
      setPlan(null);
      await reload();
    });

  const markDistinct = (pair: DuplicatePair) =>
    run(async () => {
      await call(commands.markDistinct(pair.a.id, pair.b.id));
      await reload();
    });

  const undo = (id: number) =>
    run(async () => {
      await call(commands.undoMerge(id));
      setDone(null);
      await reload();
    });

  return { pairs, merges, plan, done, busy, error, openMerge, swap, pickOf, choose, cancel, merge, markDistinct, undo };
}
