import { useState } from "react";
import type { RequestChannel, RequestInput, ServiceRequest } from "../shared/api";
import { localDate } from "../shared/format";
import { InputField, LabelledField, OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { RequestPanel } from "./RequestPanel";
import { useRequests, type Requests } from "./use-requests";
import { t } from "../i18n";

const r = t.requests;

/** The customer's after-care requests (アフター), from the call to done. */
export function RequestsTab({ customerId, onChanged }: { customerId: number; onChanged: () => void }) {
  const q = useRequests(customerId, onChanged);
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
        <ReceiveForm q={q} customerId={customerId} onDone={() => setReceiving(false)} />
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
        <span className="chip" data-testid={`request-status-${id}`}>
          {r.statuses[request.status]}
        </span>
        <span className="small">{request.staff_name ?? r.unassigned}</span>
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

const blank = (customerId: number): RequestInput => ({
  customer_id: customerId,
  project_id: null,
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

/** What the owner said, when it came in, what kind, who takes it and by when. */
function ReceiveForm({ q, customerId, onDone }: { q: Requests; customerId: number; onDone: () => void }) {
  const { staff } = useLedger();
  const [input, setInput] = useState(() => blank(customerId));
  const set = <K extends keyof RequestInput>(key: K, value: RequestInput[K]) => setInput((i) => ({ ...i, [key]: value }));
  const errors = q.fieldErrors;
  const categoryId = input.category_id || q.categories[0]?.id || 0;

  async function receive() {
    if (await q.receive({ ...input, category_id: categoryId })) onDone();
  }

  return (
    <fieldset className="contact-form" data-testid="request-form">
      <LabelledField label={r.category} error={errors.category_id}>
        <select value={categoryId} onChange={(e) => set("category_id", Number(e.target.value))} data-testid="request-category">
          {q.categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </LabelledField>
      <label>
        {r.channel}
        <select value={input.channel} onChange={(e) => set("channel", e.target.value as RequestChannel)} data-testid="request-channel">
          <OptionsOf labels={r.channels} />
        </select>
      </label>
      <LabelledField className="wide" label={r.complaint} error={errors.complaint}>
        <textarea rows={2} value={input.complaint} onChange={(e) => set("complaint", e.target.value)} data-testid="request-complaint" />
      </LabelledField>
      <InputField
        label={r.receivedOn}
        error={errors.received_on}
        type="date"
        value={input.received_on}
        onChange={(v) => set("received_on", v)}
        data-testid="request-received-on"
      />
      <InputField
        label={r.dueOn}
        error={errors.due_on}
        type="date"
        value={input.due_on ?? ""}
        onChange={(v) => set("due_on", v || null)}
        data-testid="request-due-on"
      />
      <LabelledField label={r.staff} error={errors.staff_id}>
        <IdSelect
          value={input.staff_id}
          options={staff.filter((s) => s.active)}
          none={r.unassigned}
          onChange={(v) => set("staff_id", v)}
          testId="request-staff"
        />
      </LabelledField>
      <LabelledField label={r.house} error={errors.project_id}>
        <IdSelect
          value={input.project_id}
          options={q.projects.map((p) => ({ id: p.id, name: p.title }))}
          none={r.noHouse}
          onChange={(v) => set("project_id", v)}
          testId="request-project"
        />
      </LabelledField>
      <button className="primary" onClick={() => void receive()} data-testid="request-save">
        {r.receiveSave}
      </button>
      <button onClick={onDone}>{t.detail.cancel}</button>
    </fieldset>
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
