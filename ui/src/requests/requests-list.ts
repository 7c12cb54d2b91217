// The requests screen's chips as the ledger's typed filter, and the order
// the office works through what it shows.
import type { RequestFilter, RequestStatus, ServiceRequest } from "../shared/api";

/** 未完了, 期日超過, 自分の担当, or one status. */
export type Chip = "open" | "overdue" | "mine" | RequestStatus;

const everything: RequestFilter = {
  open: false,
  overdue: false,
  staff_id: null,
  status: null,
  customer_id: null,
  project_id: null,
  partner_id: null,
};

/** The filter a chip asks for, narrowed to one partner's requests when one
 * is chosen; null when 自分の担当 is chosen while no staff member is working
 * (no filter would mean everyone's). */
export function filterOf(chip: Chip, currentStaffId: number | null, partnerId: number | null = null): RequestFilter | null {
  const base = { ...everything, partner_id: partnerId };
  switch (chip) {
    case "open":
      return { ...base, open: true };
    case "overdue":
      return { ...base, overdue: true };
    case "mine":
      return currentStaffId === null ? null : { ...base, open: true, staff_id: currentStaffId };
    default:
      return { ...base, status: chip };
  }
}

/** Undated requests come after every dated one. */
function byDue(a: ServiceRequest, b: ServiceRequest): number {
  if (a.due_on === b.due_on) return 0;
  if (a.due_on === null) return 1;
  if (b.due_on === null) return -1;
  return a.due_on.localeCompare(b.due_on);
}

/** Overdue first, then the nearest due date, then the newest received. */
export function workOrder(requests: ServiceRequest[]): ServiceRequest[] {
  return [...requests].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || byDue(a, b) || b.received_on.localeCompare(a.received_on) || b.id - a.id,
  );
}
