import { useState } from "react";
import type { RequestInput, RequestStatus, ServiceRequest } from "../shared/api";
import { localDateTime } from "../shared/format";
import { InputField, LabelledField } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { IdSelect, PartnerCost, RequestFields } from "./RequestsTab";
import { inputOf, type Requests } from "./use-requests";
import { t } from "../i18n";

const r = t.requests;

/** 完了 is reached only by closing with a cause, never by a plain move. */
const MOVES = (Object.keys(r.statuses) as RequestStatus[]).filter((s) => s !== "done");

/** One request opened: who has it, where it stands, its details, its visits, and closing it. */
export function RequestPanel({ q, request }: { q: Requests; request: ServiceRequest }) {
  const { staff, may } = useLedger();
  const id = request.id;
  const done = request.status === "done";
  return (
    // Shown to everyone; its controls only to the roles that record after-care.
    <div className="request-panel" data-testid={`request-panel-${id}`}>
      <fieldset className="bare" disabled={!may("requests")}>
        <div className="request-actions">
          <label>
            {r.assign}
            <IdSelect
              value={request.staff_id}
              options={staff.filter((s) => s.active || s.id === request.staff_id)}
              none={r.unassigned}
              onChange={(v) => void q.assign(request, v)}
              testId={`request-assign-${id}`}
            />
          </label>
          <label>
            {r.move}
            <select
              value={request.status}
              onChange={(e) => void q.move(request, e.target.value as RequestStatus)}
              data-testid={`request-move-${id}`}
            >
              {(done ? [...MOVES, "done" as const] : MOVES).map((s) => (
                <option key={s} value={s} disabled={s === "done"}>
                  {r.statuses[s]}
                </option>
              ))}
            </select>
          </label>
          {!done && <DueEditor q={q} request={request} />}
        </div>
        {!done && <EditForm q={q} request={request} />}
        <h5>{r.visits}</h5>
        {q.visits.length === 0 ? (
          <p className="muted small">{r.noVisits}</p>
        ) : (
          <ol className="history" data-testid={`request-visits-${id}`}>
            {q.visits.map((c) => (
              <li key={c.id}>
                <div className="when">{t.contacts.line(c.at, c.kind, t.history.by(c.staff_name))}</div>
                {c.note && <div className="note">{c.note}</div>}
              </li>
            ))}
          </ol>
        )}
        {!done && <VisitForm q={q} request={request} />}
        {/* Starts again from the partner and cost an edit just saved. */}
        {!done && <CloseForm key={`${request.partner_id}-${request.cost_yen}`} q={q} request={request} />}
      </fieldset>
    </div>
  );
}

function DueEditor({ q, request }: { q: Requests; request: ServiceRequest }) {
  const [due, setDue] = useState(request.due_on ?? "");
  const id = request.id;
  return (
    <>
      <InputField
        label={r.dueOn}
        error={q.fieldErrors.due_on}
        type="date"
        value={due}
        onChange={setDue}
        data-testid={`request-due-${id}`}
      />
      <button onClick={() => void q.setDue(request, due)} data-testid={`request-due-save-${id}`}>
        {r.setDue}
      </button>
    </>
  );
}

/** The request's details as received (what, how urgent, the partner and
 * the cost) changed while it is open; staff and due date have their own controls. */
function EditForm({ q, request }: { q: Requests; request: ServiceRequest }) {
  const [input, setInput] = useState<RequestInput | null>(null);
  const id = request.id;
  if (!input) {
    return (
      <button onClick={() => setInput(inputOf(request))} data-testid={`request-edit-${id}`}>
        {r.edit}
      </button>
    );
  }

  async function save(next: RequestInput) {
    // The panel's own controls may have moved staff or due date meanwhile.
    if (await q.edit(request, { ...next, staff_id: request.staff_id, due_on: request.due_on })) setInput(null);
  }

  return (
    <fieldset className="contact-form" data-testid={`request-edit-form-${id}`}>
      <RequestFields q={q} input={input} onChange={setInput} testPrefix={`request-edit-${id}`} omit={["staff", "due"]} />
      <button className="primary" onClick={() => void save(input)} data-testid={`request-edit-save-${id}`}>
        {r.editSave}
      </button>
      <button onClick={() => setInput(null)}>{t.detail.cancel}</button>
    </fieldset>
  );
}

/** A visit or work done: a contact of the customer, linked to the request. */
function VisitForm({ q, request }: { q: Requests; request: ServiceRequest }) {
  const { contactKinds } = useLedger();
  const kinds = contactKinds.filter((k) => !k.retired);
  const visit = kinds.find((k) => k.name === r.visitKindName) ?? kinds[0];
  const [kindId, setKindId] = useState(0);
  const [at, setAt] = useState(() => localDateTime(new Date()));
  const [note, setNote] = useState("");
  const id = request.id;

  async function log() {
    const input = { customer_id: request.customer_id, kind_id: kindId || visit?.id || 0, at, note, next_on: null, next_note: "" };
    if (await q.logVisit(request, input)) setNote("");
  }

  return (
    <fieldset className="contact-form" data-testid={`request-visit-form-${id}`}>
      <label>
        {r.visitKind}
        <select
          value={kindId || visit?.id || ""}
          onChange={(e) => setKindId(Number(e.target.value))}
          data-testid={`request-visit-kind-${id}`}
        >
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </select>
      </label>
      <InputField
        label={r.visitAt}
        error={q.fieldErrors.at}
        type="datetime-local"
        value={at}
        onChange={setAt}
        data-testid={`request-visit-at-${id}`}
      />
      <label className="wide">
        {r.visitNote}
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid={`request-visit-note-${id}`} />
      </label>
      <button onClick={() => void log()} data-testid={`request-visit-log-${id}`}>
        {r.logVisit}
      </button>
    </fieldset>
  );
}

/** Closing: the cause from the office's list, what was done, who did it and what it cost. */
function CloseForm({ q, request }: { q: Requests; request: ServiceRequest }) {
  const [causeId, setCauseId] = useState(0);
  const [partnerId, setPartnerId] = useState(request.partner_id);
  const [costYen, setCostYen] = useState(request.cost_yen);
  const [resolution, setResolution] = useState("");
  const [satisfaction, setSatisfaction] = useState("");
  const errors = q.fieldErrors;
  const id = request.id;
  const cause = causeId || q.causes[0]?.id || 0;

  const close = () =>
    q.close(request, {
      cause_id: cause,
      resolution,
      partner_id: partnerId,
      cost_yen: costYen,
      satisfaction: satisfaction ? Number(satisfaction) : null,
      closed_on: null,
    });

  return (
    <fieldset className="contact-form" data-testid={`request-close-form-${id}`}>
      <LabelledField label={r.cause} error={errors.cause_id}>
        <select value={cause} onChange={(e) => setCauseId(Number(e.target.value))} data-testid={`request-cause-${id}`}>
          {q.causes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </LabelledField>
      <PartnerCost
        q={q}
        partnerId={partnerId}
        costYen={costYen}
        onPartner={setPartnerId}
        onCost={setCostYen}
        testPrefix={`request-close-${id}`}
      />
      <InputField
        label={r.satisfaction}
        error={errors.satisfaction}
        type="number"
        min={1}
        max={5}
        value={satisfaction}
        onChange={setSatisfaction}
        data-testid={`request-satisfaction-${id}`}
      />
      <label className="wide">
        {r.resolution}
        <textarea rows={2} value={resolution} onChange={(e) => setResolution(e.target.value)} data-testid={`request-resolution-${id}`} />
      </label>
      <button className="primary" onClick={() => void close()} data-testid={`request-close-${id}`}>
        {r.close}
      </button>
    </fieldset>
  );
}
