import { describe, expect, it } from "vitest";
import type { Dashboard, ReferralNetwork, Status } from "../shared/api";
import { contactsByMonth, dashboardCharts, funnelLabel, man, networkChart } from "./charts";

const zero = { inquiries: 0, negotiations: 0, contracts: 0, amount_yen: 0 };
const board: Dashboard = {
  from: "2026-06-01",
  to: "2026-07-31",
  by_status: [{ status_id: 4, status: "商談中", count: 3 }],
  months: [
    { month: "2026-06", target: { ...zero, amount_yen: 30_000_000 }, actual: { ...zero, inquiries: 5, amount_yen: 24_449_000 } },
    { month: "2026-07", target: zero, actual: zero },
  ],
  funnel: [
    { stage: "inquiry", customers: 8 },
    { stage: "contract", customers: 3 },
  ],
  lost_reasons: [],
  by_source: [],
  by_campaign: [],
  contacts: [
    { staff: "佐藤", day: "2026-07-02", count: 2 },
    { staff: "鈴木", day: "2026-06-30", count: 1 },
    { staff: "佐藤", day: "2026-07-20", count: 3 },
  ],
} as unknown as Dashboard;

const statuses = [{ id: 4, name: "商談中", color: "#f97316" }] as Status[];

describe("dashboard charts", () => {
  it("colours each status bar as the status is coloured", () => {
    const series = dashboardCharts(board, statuses).status.series as { data: { value: number; itemStyle: { color?: string } }[] }[];
    expect(series[0].data).toEqual([{ value: 3, itemStyle: { color: "#f97316" } }]);
  });

  it("draws amounts in 万円 on the second axis, actual beside target", () => {
    const series = dashboardCharts(board, statuses).monthly.series as { name: string; data: number[]; yAxisIndex?: number }[];
    const amount = series.find((s) => s.name === "契約金額（万円）（実績）");
    expect(amount?.data).toEqual([2445, 0]);
    expect(amount?.yAxisIndex).toBe(1);
    expect(series.find((s) => s.name === "契約金額（万円）（目標）")?.data).toEqual([3000, 0]);
    expect(series.find((s) => s.name === "引合い（実績）")?.data).toEqual([5, 0]);
  });

  it("labels each funnel stage with its share of the first", () => {
    expect(funnelLabel(board, "契約", 3)).toBe("契約 3人（38%）");
    expect(funnelLabel({ ...board, funnel: [] }, "契約", 0)).toBe("契約 0人（0%）");
  });

  it("adds each staff member's contacts up by month, months in order", () => {
    expect(contactsByMonth(board)).toEqual({
      months: ["2026-06", "2026-07"],
      staff: [
        { name: "佐藤", counts: [0, 5] },
        { name: "鈴木", counts: [1, 0] },
      ],
    });
  });

  it("rounds yen to 万円", () => {
    expect(man(24_449_000)).toBe(2445);
    expect(man(4_999)).toBe(0);
  });
});

describe("the referral network", () => {
  it("sizes nodes by contribution, puts owners in their own category and keeps the customer to open", () => {
    const network = {
      nodes: [
        { id: 1, name: "山田", stage: "owner", contribution: 2 },
        { id: 2, name: "佐藤", stage: "inquiry", contribution: 0 },
      ],
      links: [[1, 2]],
    } as unknown as ReferralNetwork;
    const [graph] = networkChart(network).series as {
      data: { symbolSize: number; category: number; customerId: number }[];
      links: unknown[];
    }[];
    expect(graph.data.map((n) => [n.symbolSize, n.category, n.customerId])).toEqual([
      [30, 1, 1],
      [14, 0, 2],
    ]);
    expect(graph.links).toEqual([{ source: "1", target: "2" }]);
  });
});
