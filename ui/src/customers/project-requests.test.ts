import { describe, expect, it } from "vitest";
import type { RequestStatus, ServiceRequest } from "../shared/api";
import { countOf, countsByProject } from "./project-requests";

const request = (id: number, project_id: number | null, status: RequestStatus) => ({ id, project_id, status }) as ServiceRequest;

describe("countsByProject", () => {
  it("counts each house's requests and the open ones among them", () => {
    const counts = countsByProject([
      request(1, 7, "received"),
      request(2, 7, "done"),
      request(3, 8, "on_hold"),
      request(4, 7, "in_progress"),
    ]);
    expect(countOf(counts, 7)).toEqual({ total: 3, open: 2 });
    expect(countOf(counts, 8)).toEqual({ total: 1, open: 1 });
  });
  it("leaves out requests for no particular house, and a house without any has none", () => {
    const counts = countsByProject([request(1, null, "received")]);
    expect(counts.size).toBe(0);
    expect(countOf(counts, 7)).toEqual({ total: 0, open: 0 });
  });
});
