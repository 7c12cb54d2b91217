import type { RequestStatus, ServiceRequest } from "../shared/api";
import { WarrantyMarks } from "../customers/RequestsTab";
import { useRequestsScreen, type RequestsScreenState } from "./use-requests-screen";
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
          <tr key={req.id} className="clickable" onClick={() => onOpen(req.customer_id)} data-testid={`requests-row-${req.id}`}>
            <td>{req.received_on}</td>
            <td>{req.customer_name}</td>
            <td>{req.category}</td>
            <td className="truncate" title={req.complaint}>
              {req.complaint}
            </td>
            <td>{r.statuses[req.status]}</td>
            <td>{req.staff_name ?? r.unassigned}</td>
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
