// One customer's projects: saving one (which may offer a status move and
// schedule after-care inspections), accepting the move, removing one.
import { useCallback, useEffect, useState } from "react";
import { call, commands, type Customer, type Project, type ProjectInput, type Status } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Projects = ReturnType<typeof useProjects>;

export const blankProject = (customerId: number): ProjectInput => ({
  id: null,
  customer_id: customerId,
  kind: "new_build",
  title: "",
  amount_yen: null,
  contract_on: null,
  start_on: null,
  completion_on: null,
  handover_on: null,
});

export function useProjects(customer: Customer, onChanged: (c: Customer) => void) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [projects, setProjects] = useState<Project[]>([]);
  const [editing, setEditing] = useState<ProjectInput | null>(null);
  const [offer, setOffer] = useState<Status | null>(null);
  const [scheduled, setScheduled] = useState<string[]>([]);

  const load = useCallback(() => call(commands.listProjects(customer.id)).then(setProjects, fail), [customer.id, fail]);
  useEffect(() => void load(), [load]);

  const set = <K extends keyof ProjectInput>(key: K, value: ProjectInput[K]) => setEditing((e) => (e ? { ...e, [key]: value } : e));

  const save = () =>
    run(async () => {
      if (!editing) return;
      const saved = await call(commands.saveProject(editing));
      setEditing(null);
      setOffer(saved.offer_status);
      setScheduled(saved.inspections);
      await load();
      await reload();
      onChanged(await call(commands.getCustomer(customer.id)));
    });

  const move = (status: Status) =>
    run(async () => {
      onChanged(await call(commands.changeStatus(customer.id, status.id, "", "")));
      setOffer(null);
      await reload();
    });

  async function remove(p: Project) {
    if (!window.confirm(t.projects.removeConfirm)) return;
    await run(async () => {
      await call(commands.deleteProject(p.id));
      await load();
      await reload();
    });
  }

  return { ...action, projects, editing, offer, scheduled, setEditing, setOffer, set, save, move, remove };
}
