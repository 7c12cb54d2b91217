// One customer's after-care requests (or one house's): receiving one, and
// for each its staff, status, due date, its details (urgency, partner,
// cost), the visits logged against it and its closing.
import { useCallback, useEffect, useState } from "react";
import {
  call,
  commands,
  type Contact,
  type ContactInput,
  type ListEntry,
  type Project,
  type RequestClose,
  type RequestInput,
  type RequestStatus,
  type ServiceRequest,
} from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { t } from "../i18n";

export type Requests = ReturnType<typeof useRequests>;

const inUse = (entries: ListEntry[]) => entries.filter((e) => !e.retired);

/** The form's fields of a request as it stands, to edit one of them. */
export const inputOf = (r: ServiceRequest): RequestInput => ({
  customer_id: r.customer_id,
  project_id: r.project_id,
  contact_id: null,
  received_on: r.received_on,
  channel: r.channel,
  category_id: r.category_id,
  complaint: r.complaint,
  urgency: r.urgency,
  staff_id: r.staff_id,
  due_on: r.due_on,
  partner_id: r.partner_id,
  cost_yen: r.cost_yen,
});

/** With `projectId`, only that house's requests, and a new one is its. */
export function useRequests(customerId: number, onChanged: () => void, projectId: number | null = null) {
  const { reload } = useLedger();
  const action = useAction();
  const { run, fail } = action;
  const [requests, setRequests] = useState<ServiceRequest[]>([]);
  const [categories, setCategories] = useState<ListEntry[]>([]);
  const [causes, setCauses] = useState<ListEntry[]>([]);
  const [partners, setPartners] = useState<ListEntry[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [visits, setVisits] = useState<Contact[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(() => {
    const filter = {
      open: false,
      overdue: false,
      staff_id: null,
      status: null,
      customer_id: customerId,
      project_id: projectId,
      partner_id: null,
    };
    return Promise.all([
      call(commands.listRequests(filter)),
      call(commands.requestList("category")),
      call(commands.requestList("cause")),
      call(commands.requestList("partner")),
      call(commands.listProjects(customerId)),
    ]).then(([r, cat, cause, partner, p]) => {
      setRequests(r);
      setCategories(inUse(cat));
      setCauses(inUse(cause));
      setPartners(inUse(partner));
      setProjects(p);
    }, fail);
  }, [customerId, projectId, fail]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (openId === null) return;
    call(commands.getRequest(openId)).then((d) => setVisits(d.contacts), fail);
  }, [openId, requests, fail]);

  /** Runs a write, then shows the ledger as it now is everywhere. */
  const write = (work: () => Promise<unknown>, done?: string) =>
    run(async () => {
      await work();
      setMessage(done ?? null);
      await load();
      await reload();
      onChanged();
      return true;
    });

  const receive = (input: RequestInput) => write(() => call(commands.createRequest(input)), t.requests.received);
  const assign = (r: ServiceRequest, staffId: number | null) => write(() => call(commands.assignRequest(r.id, staffId)));
  const move = (r: ServiceRequest, status: RequestStatus) => write(() => call(commands.moveRequest(r.id, status)));
  const setDue = (r: ServiceRequest, due: string) =>
    write(() => call(commands.updateRequest(r.id, { ...inputOf(r), due_on: due || null })));
  const edit = (r: ServiceRequest, input: RequestInput) => write(() => call(commands.updateRequest(r.id, input)), t.requests.edited);
  const logVisit = (r: ServiceRequest, input: ContactInput) =>
    write(() => call(commands.logRequestContact(r.id, input)), t.requests.visitLogged);
  const close = (r: ServiceRequest, input: RequestClose) => write(() => call(commands.closeRequest(r.id, input)));

  return {
    ...action,
    requests,
    categories,
    causes,
    partners,
    projects,
    projectId,
    openId,
    visits,
    message,
    setOpenId,
    receive,
    assign,
    move,
    setDue,
    edit,
    logVisit,
    close,
  };
}
