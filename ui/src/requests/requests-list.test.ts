import { describe, expect, it } from "vitest";
import type { ServiceRequest } from "../shared/api";
import { filterOf, workOrder } from "./requests-list";

const request = (id: number, over: Partial<ServiceRequest>): ServiceRequest => ({
  id,
  customer_id: 1,
  customer_name: "青木 一郎",
  project_id: null,
  project_title: null,
  contact_id: null,
  received_on: "2026-01-01",
  channel: "phone",
  category_id: 1,
  category: "雨漏り",
  complaint: "",
  urgency: "normal",
  staff_id: null,
  staff_name: null,
  due_on: null,
  status: "received",
  partner_id: null,
  partner: null,
  cost_yen: null,
  cause_id: null,
  cause: null,
  resolution: "",
  satisfaction: null,
  closed_on: null,
  overdue: false,
  warranty: { handover_on: null, house_age_years: null, statutory: null, office_years: null, office: null },
  ...over,
});

describe("filterOf", () => {
  it("asks for open requests by default chip", () => {
    expect(filterOf("open", 3)).toMatchObject({ open: true, overdue: false, staff_id: null, status: null });
  });
  it("asks for overdue ones", () => {
    expect(filterOf("overdue", 3)).toMatchObject({ open: false, overdue: true });
  });
  it("narrows 自分の担当 to the current staff member's open requests", () => {
    expect(filterOf("mine", 3)).toMatchObject({ open: true, staff_id: 3 });
  });
  it("asks for nothing under 自分の担当 while no one is working", () => {
    expect(filterOf("mine", null)).toBeNull();
  });
  it("passes a status through", () => {
    expect(filterOf("on_hold", null)).toMatchObject({ open: false, status: "on_hold" });
  });
  it("narrows any chip to the partner chosen, and to no partner by default", () => {
    expect(filterOf("overdue", 3, 9)).toMatchObject({ overdue: true, partner_id: 9 });
    expect(filterOf("mine", 3, 9)).toMatchObject({ open: true, staff_id: 3, partner_id: 9 });
    expect(filterOf("open", 3)).toMatchObject({ partner_id: null });
  });
});

describe("workOrder", () => {
  it("puts overdue first, then the nearest due date, undated last, newest received first", () => {
    const list = [
      request(1, { received_on: "2026-01-01" }),
      request(2, { received_on: "2026-02-01" }),
      request(3, { due_on: "2026-03-10" }),
      request(4, { due_on: "2026-03-01" }),
      request(5, { due_on: "2026-03-20", overdue: true }),
    ];
    expect(workOrder(list).map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
  });
  it("leaves the list it was given as it was", () => {
    const list = [request(1, {}), request(2, { overdue: true })];
    workOrder(list);
    expect(list.map((r) => r.id)).toEqual([1, 2]);
  });
});
