// How many after-care requests each house (project) has, and how many of
// them are still open: what the アフター button on a project says.
import type { ServiceRequest } from "../shared/api";

export type RequestCount = { total: number; open: number };

const none: RequestCount = { total: 0, open: 0 };

/** Counts by project id; a request for no particular house is not counted. */
export function countsByProject(requests: ServiceRequest[]): Map<number, RequestCount> {
  const counts = new Map<number, RequestCount>();
  for (const request of requests) {
    if (request.project_id === null) continue;
    const count = counts.get(request.project_id) ?? none;
    counts.set(request.project_id, { total: count.total + 1, open: count.open + (request.status === "done" ? 0 : 1) });
  }
  return counts;
}

export const countOf = (counts: Map<number, RequestCount>, projectId: number): RequestCount => counts.get(projectId) ?? none;
