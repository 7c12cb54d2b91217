import { useState } from "react";
import type { RequestChannel, RequestInput, ServiceRequest, Urgency } from "../shared/api";
import { localDate } from "../shared/format";
import { InputField, LabelledField, OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { RequestPanel } from "./RequestPanel";
import { useRequests, type Requests } from "./use-requests";
import { t } from "../i18n";

const r = t.requests;

/** The customer's after-care requests (アフター), from the call to done;
 * with `projectId`, one house's, and a request received here is that house's. */
export function RequestsTab({
  customerId,
  projectId = null,
  onChanged,
}: {
  customerId: number;
  projectId?: number | null;
  onChanged: () => void;
}) {
  const q = useRequests(customerId, onChanged, projectId);
  const [receiving, setReceiving] = useState(false);
  const { may } = useLedger();
  return (
    <div className="requests-tab" data-testid="requests-tab">
      {q.error && <p className="error">{q.error}</p>}
      {q.message && (
        <p className="muted" data-testid="request-message">
          {q.message}
        </p>
      )}
      {!may("requests") ? (
        <NotPermitted need="requests" />
      ) : receiving ? (
        <ReceiveForm q={q} customerId={customerId} projectId={projectId} onDone={() => setReceiving(false)} />
      ) : (
        <button onClick={() => setReceiving(true)} data-testid="request-add">
          {r.receive}
        </button>
      )}
      {q.requests.length === 0 ? (
        <p className="muted">{r.empty}</p>
      ) : (
        <ul className="request-list" data-testid="request-list">
          {q.requests.map((request) => (
            <RequestRow key={request.id} q={q} request={request} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RequestRow({ q, request }: { q: Requests; request: ServiceRequest }) {
  const id = request.id;
  const open = q.openId === id;
  return (
    <li className={request.status === "done" ? "request done" : "request"} data-testid={`request-${id}`}>
      <div className="request-head">
        <strong>{r.line(request.received_on, request.category)}</strong>
        <UrgencyMark urgency={request.urgency} id={id} />
        <span className="chip" data-testid={`request-status-${id}`}>
          {r.statuses[request.status]}
        </span>
        <span className="small">{request.staff_name ?? r.unassigned}</span>
        {request.partner && <span className="small">{r.partnerLine(request.partner)}</span>}
        {request.cost_yen !== null && <span className="small">{t.app.yen(request.cost_yen)}</span>}
        {request.due_on && <span className="small">{r.due(request.due_on)}</span>}
        {request.overdue && (
          <span className="mark overdue" data-testid={`request-overdue-${id}`}>
            {r.overdue}
          </span>
        )}
        <WarrantyMarks request={request} />
        <button className="link" onClick={() => q.setOpenId(open ? null : id)} data-testid={`request-toggle-${id}`}>
          {open ? r.hide : r.details}
        </button>
      </div>
      {request.complaint && <div className="note">{request.complaint}</div>}
      {request.closed_on && (
        <div className="small" data-testid={`request-closed-${id}`}>
          {r.closed(request.closed_on, request.cause ?? "")} {request.resolution}
        </div>
      )}
      {open && <RequestPanel q={q} request={request} />}
    </li>
  );
}

/** 急ぎ or 緊急; a normal request carries no mark. */
export function UrgencyMark({ urgency, id }: { urgency: Urgency; id: number }) {
  if (urgency === "normal") return null;
  return (
    <span className={`mark ${urgency}`} data-testid={`request-urgency-${id}`}>
      {r.urgencies[urgency]}
    </span>
  );
}

/** 保証内 / 保証外 under the law (rain, structure) and the office's own period. */
export function WarrantyMarks({ request }: { request: ServiceRequest }) {
  const w = request.warranty;
  return (
    <span className="warranty" data-testid={`request-warranty-${request.id}`}>
      {w.house_age_years !== null && <span className="mark">{r.age(w.house_age_years)}</span>}
      {w.statutory !== null && <span className={w.statutory ? "mark within" : "mark overdue"}>{r.statutory(w.statutory)}</span>}
      {w.office !== null && w.office_years !== null && (
        <span className={w.office ? "mark within" : "mark overdue"}>{r.office(w.office, w.office_years)}</span>
      )}
    </span>
  );
}

const blank = (customerId: number, projectId: number | null): RequestInput => ({
  customer_id: customerId,
  project_id: projectId,
  contact_id: null,
  received_on: localDate(new Date()),
  channel: "phone",
  category_id: 0,
  complaint: "",
  urgency: "normal",
  staff_id: null,
  due_on: null,
  partner_id: null,
  cost_yen: null,
});

/** What the owner said, when it came in, what kind, how urgent, who takes it and by when. */
function ReceiveForm({
  q,
  customerId,
  projectId,
  onDone,
}: {
  q: Requests;
  customerId: number;
  projectId: number | null;
  onDone: () => void;
}) {
  const [input, setInput] = useState(() => blank(customerId, projectId));
  const categoryId = input.category_id || q.categories[0]?.id || 0;

  async function receive() {
    if (await q.receive({ ...input, category_id: categoryId })) onDone();
  }

  return (
    <fieldset className="contact-form" data-testid="request-form">
      {/* A house's own アフター receives for that house only. */}
      <RequestFields
        q={q}
        input={{ ...input, category_id: categoryId }}
        onChange={setInput}
        testPrefix="request"
        omit={projectId === null ? [] : ["house"]}
      />
      <button className="primary" onClick={() => void receive()} data-testid="request-save">
        {r.receiveSave}
      </button>
      <button onClick={onDone}>{t.detail.cancel}</button>
    </fieldset>
  );
}

/** Fields a form may leave to controls of their own. */
type Omitted = "staff" | "due" | "house";

/** A request's fields as the receive and edit forms show them; each control's
 * test id is `${testPrefix}-<field>`. */
export function RequestFields({
  q,
  input,
  onChange,
  testPrefix,
  omit = [],
}: {
  q: Requests;
  input: RequestInput;
  onChange: (next: RequestInput) => void;
  testPrefix: string;
  omit?: Omitted[];
}) {
  const { staff } = useLedger();
  const set = <K extends keyof RequestInput>(key: K, value: RequestInput[K]) => onChange({ ...input, [key]: value });
  const errors = q.fieldErrors;
  const shown = (field: Omitted) => !omit.includes(field);
  return (
    <>
      <LabelledField label={r.category} error={errors.category_id}>
        <select
          value={input.category_id}
          onChange={(e) => set("category_id", Number(e.target.value))}
          data-testid={`${testPrefix}-category`}
        >
          {q.categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </LabelledField>
      <label>
        {r.channel}
        <select
          value={input.channel}
          onChange={(e) => set("channel", e.target.value as RequestChannel)}
          data-testid={`${testPrefix}-channel`}
        >
          <OptionsOf labels={r.channels} />
        </select>
      </label>
      <label>
        {r.urgency}
        <select value={input.urgency} onChange={(e) => set("urgency", e.target.value as Urgency)} data-testid={`${testPrefix}-urgency`}>
          <OptionsOf labels={r.urgencies} />
        </select>
      </label>
      <LabelledField className="wide" label={r.complaint} error={errors.complaint}>
        <textarea
          rows={2}
          value={input.complaint}
          onChange={(e) => set("complaint", e.target.value)}
          data-testid={`${testPrefix}-complaint`}
        />
      </LabelledField>
      <InputField
        label={r.receivedOn}
        error={errors.received_on}
        type="date"
        value={input.received_on}
        onChange={(v) => set("received_on", v)}
        data-testid={`${testPrefix}-received-on`}
      />
      {shown("due") && (
        <InputField
          label={r.dueOn}
          error={errors.due_on}
          type="date"
          value={input.due_on ?? ""}
          onChange={(v) => set("due_on", v || null)}
          data-testid={`${testPrefix}-due-on`}
        />
      )}
      {shown("staff") && (
        <LabelledField label={r.staff} error={errors.staff_id}>
          <IdSelect
            value={input.staff_id}
            options={staff.filter((s) => s.active || s.id === input.staff_id)}
            none={r.unassigned}
            onChange={(v) => set("staff_id", v)}
            testId={`${testPrefix}-staff`}
          />
        </LabelledField>
      )}
      {shown("house") && (
        <LabelledField label={r.house} error={errors.project_id}>
          <IdSelect
            value={input.project_id}
            options={q.projects.map((p) => ({ id: p.id, name: p.title }))}
            none={r.noHouse}
            onChange={(v) => set("project_id", v)}
            testId={`${testPrefix}-project`}
          />
        </LabelledField>
      )}
      <PartnerCost
        q={q}
        partnerId={input.partner_id}
        costYen={input.cost_yen}
        onPartner={(v) => set("partner_id", v)}
        onCost={(v) => set("cost_yen", v)}
        testPrefix={testPrefix}
      />
    </>
  );
}

/** Who does the work (協力業者) and what it costs, as received, edited or closed;
 * test ids `${testPrefix}-partner` and `${testPrefix}-cost`. */
export function PartnerCost({
  q,
  partnerId,
  costYen,
  onPartner,
  onCost,
  testPrefix,
}: {
  q: Requests;
  partnerId: number | null;
  costYen: number | null;
  onPartner: (id: number | null) => void;
  onCost: (yen: number | null) => void;
  testPrefix: string;
}) {
  return (
    <>
      <LabelledField label={r.partner} error={q.fieldErrors.partner_id}>
        <IdSelect value={partnerId} options={q.partners} none={r.noPartner} onChange={onPartner} testId={`${testPrefix}-partner`} />
      </LabelledField>
      <InputField
        label={r.cost}
        error={q.fieldErrors.cost_yen}
        type="number"
        min={0}
        value={costYen ?? ""}
        onChange={(v) => onCost(v === "" ? null : Number(v))}
        data-testid={`${testPrefix}-cost`}
      />
    </>
  );
}

/** A choice of one row by id, or none. */
export function IdSelect({
  value,
  options,
  none,
  onChange,
  testId,
}: {
  value: number | null;
  options: { id: number; name: string }[];
  none: string;
  onChange: (id: number | null) => void;
  testId: string;
}) {
  return (
    <select value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)} data-testid={testId}>
      <option value="">{none}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
}
