// One customer's projects: saving one (which may offer a status move and
// schedule after-care inspections), accepting the move, removing one, and
// each house's after-care requests (how many, and which house shows them).
import { useCallback, useEffect, useMemo, useState } from "react";
import { call, commands, type Customer, type Project, type ProjectInput, type ServiceRequest, type Status } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { countsByProject } from "./project-requests";
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
  const [requests, setRequests] = useState<ServiceRequest[]>([]);
  const [requestsOf, setRequestsOf] = useState<number | null>(null);
  const requestCounts = useMemo(() => countsByProject(requests), [requests]);

  const load = useCallback(() => call(commands.listProjects(customer.id)).then(setProjects, fail), [customer.id, fail]);
  useEffect(() => void load(), [load]);

  const loadRequests = useCallback(() => {
    const filter = {
      open: false,
      overdue: false,
      staff_id: null,
      status: null,
      customer_id: customer.id,
      project_id: null,
      partner_id: null,
    };
    return call(commands.listRequests(filter)).then(setRequests, fail);
  }, [customer.id, fail]);
  useEffect(() => void loadRequests(), [loadRequests]);

  /** After a house's request changed: its count, and the customer (history, updated). */
  const requestsChanged = () =>
    run(async () => {
      await loadRequests();
      onChanged(await call(commands.getCustomer(customer.id)));
    });

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

  return {
    ...action,
    projects,
    editing,
    offer,
    scheduled,
    requestCounts,
    requestsOf,
    setEditing,
    setOffer,
    setRequestsOf,
    set,
    save,
    move,
    remove,
    requestsChanged,
  };
}
