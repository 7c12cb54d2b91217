import type { KeyboardEvent } from "react";
import type { RequestStatus, ServiceRequest } from "../shared/api";
import { IdSelect, UrgencyMark, WarrantyMarks } from "../customers/RequestsTab";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { useRequestsScreen, type RequestsScreenState } from "./use-requests-screen";
import { usePartnerSheet } from "./use-partner-sheet";
import type { Chip } from "./requests-list";
import { t } from "../i18n";

const r = t.requests;
const CHIPS: Chip[] = ["open", "overdue", "mine", ...(Object.keys(r.statuses) as RequestStatus[])];

/** Every customer's after-care requests, to pick up the next one to work on. */
export function RequestsScreen({ onOpen }: { onOpen: (customerId: number) => void }) {
  const s = useRequestsScreen();
  return (
    <div className="screen requests" data-testid="requests-screen">
      <h2>{r.screenTitle}</h2>
      <FilterChips s={s} />
      <PartnerBar s={s} />
      {s.error && <p className="error">{s.error}</p>}
      {s.requests === null ? (
        <p className="muted">{t.app.loading}</p>
      ) : s.requests.length === 0 ? (
        <p className="muted" data-testid="requests-none">
          {r.none}
        </p>
      ) : (
        <RequestTable requests={s.requests} onOpen={onOpen} />
      )}
    </div>
  );
}

function FilterChips({ s }: { s: RequestsScreenState }) {
  const label = (chip: Chip) => r.chips[chip] ?? r.statuses[chip];
  return (
    <div className="request-chips">
      {CHIPS.map((chip) => (
        <button
          key={chip}
          className={s.chip === chip ? "grade-chip active" : "grade-chip"}
          disabled={chip === "mine" && !s.canChooseMine}
          title={chip === "mine" && !s.canChooseMine ? r.mineNeedsStaff : undefined}
          onClick={() => s.setChip(chip)}
          data-testid={`requests-chip-${chip}`}
        >
          {label(chip)}
        </button>
      ))}
    </div>
  );
}

/** One partner's requests, and (for the roles that may take data out) the
 * sheet of their open ones to send them. */
function PartnerBar({ s }: { s: RequestsScreenState }) {
  const { may } = useLedger();
  const sheet = usePartnerSheet(s.partner);
  const x = r.sheet;
  if (s.partners.length === 0) return <p className="muted small">{x.noPartners}</p>;
  return (
    <div className="partner-sheet" data-testid="partner-sheet">
      <label>
        {x.partner}
        <IdSelect value={s.partner?.id ?? null} options={s.partners} none={x.all} onChange={s.setPartnerId} testId="requests-partner" />
      </label>
      {s.partner && !may("export") ? (
        <NotPermitted need="export" />
      ) : s.partner ? (
        <div className="add-row">
          <input
            className="path"
            placeholder={x.dest}
            value={sheet.dest}
            onChange={(e) => sheet.typeDest(e.target.value)}
            data-testid="partner-sheet-dest"
          />
          <button onClick={() => void sheet.chooseDest()}>{x.chooseDest}</button>
          <button
            className="primary"
            disabled={!sheet.dest || sheet.busy}
            onClick={() => void sheet.write()}
            data-testid="partner-sheet-save"
          >
            {x.save}
          </button>
        </div>
      ) : (
        <span className="muted small">{x.lead}</span>
      )}
      {(sheet.error || sheet.notice) && (
        <p className={sheet.error ? "error" : "ok"} data-testid="partner-sheet-message">
          {sheet.error ?? sheet.notice}
        </p>
      )}
    </div>
  );
}

/** Enter or Space on a focused row opens it, as a click does. */
function onActivate(open: () => void) {
  return (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
    e.preventDefault();
    open();
  };
}

function RequestTable({ requests, onOpen }: { requests: ServiceRequest[]; onOpen: (customerId: number) => void }) {
  return (
    <table className="plain requests-table" data-testid="requests-table">
      <thead>
        <tr>
          {r.columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {requests.map((req) => (
          <tr
            key={req.id}
            className="clickable"
            tabIndex={0}
            onClick={() => onOpen(req.customer_id)}
            onKeyDown={onActivate(() => onOpen(req.customer_id))}
            data-testid={`requests-row-${req.id}`}
          >
            <td>{req.received_on}</td>
            <td>{req.customer_name}</td>
            <td>
              {req.category}
              <UrgencyMark urgency={req.urgency} id={req.id} />
            </td>
            <td className="truncate" title={req.complaint}>
              {req.complaint}
            </td>
            <td>{r.statuses[req.status]}</td>
            <td>{req.staff_name ?? r.unassigned}</td>
            <td>{req.partner ?? ""}</td>
            <td className={req.overdue ? "overdue" : undefined}>{req.due_on ?? ""}</td>
            <td>
              <WarrantyMarks request={req} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
