// The dashboard's figures as ECharts options: pure functions of the figures,
// the statuses (for their colours) and the catalog, so that each chart can be
// tested without drawing it.
import type { EChartsOption } from "echarts";
import type { Dashboard, ReferralNetwork, Status } from "../shared/api";
import { t } from "../i18n";

const a = t.analytics;

/** Yen as the office counts contract amounts: 万円, rounded. */
export const man = (yen: number) => Math.round(yen / 10000);

export type ChartName = "status" | "monthly" | "funnel" | "lost" | "source" | "campaign" | "contacts";

export function dashboardCharts(board: Dashboard, statuses: Status[]): Record<ChartName, EChartsOption> {
  return {
    status: statusChart(board, statuses),
    monthly: monthlyChart(board),
    funnel: funnelChart(board),
    lost: {
      tooltip: { formatter: a.lostTooltip },
      series: [{ type: "pie", radius: ["35%", "65%"], data: board.lost_reasons.map((r) => ({ name: r.name, value: r.count })) }],
    },
    source: breakdownChart(board.by_source, 110),
    campaign: breakdownChart(board.by_campaign, 130),
    contacts: contactsChart(board),
  };
}

function statusChart(board: Dashboard, statuses: Status[]): EChartsOption {
  const color = (id: number) => statuses.find((x) => x.id === id)?.color;
  return {
    tooltip: {},
    grid: { left: 150, right: 20, top: 10, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: board.by_status.map((s) => s.status) },
    series: [{ type: "bar", data: board.by_status.map((s) => ({ value: s.count, itemStyle: { color: color(s.status_id) } })) }],
  };
}

/** Actual bars against target lines, month by month; amounts on a second axis in 万円. */
function monthlyChart(board: Dashboard): EChartsOption {
  const per = (figure: (m: Dashboard["months"][number]) => number) => board.months.map(figure);
  const actual = (what: string) => a.series(what, a.actual);
  const target = (what: string) => a.series(what, a.target);
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 50, top: 40, bottom: 30 },
    xAxis: { type: "category", data: board.months.map((m) => m.month) },
    yAxis: [
      { type: "value", name: a.unitCount, minInterval: 1 },
      { type: "value", name: a.unitMan },
    ],
    series: [
      { name: actual(a.inquiries), type: "bar", data: per((m) => m.actual.inquiries) },
      { name: actual(a.negotiations), type: "bar", data: per((m) => m.actual.negotiations) },
      { name: actual(a.contracts), type: "bar", data: per((m) => m.actual.contracts) },
      { name: target(a.inquiries), type: "line", data: per((m) => m.target.inquiries) },
      { name: target(a.contracts), type: "line", data: per((m) => m.target.contracts) },
      { name: actual(a.amount), type: "line", yAxisIndex: 1, data: per((m) => man(m.actual.amount_yen)) },
      { name: target(a.amount), type: "line", yAxisIndex: 1, lineStyle: { type: "dashed" }, data: per((m) => man(m.target.amount_yen)) },
    ],
  };
}

/** Each stage with its share of the first stage's customers. */
export function funnelLabel(board: Dashboard, stage: string, value: number): string {
  const first = board.funnel[0]?.customers ?? 0;
  return a.funnelLabel(stage, value, first > 0 ? Math.round((value / first) * 100) : 0);
}

function funnelChart(board: Dashboard): EChartsOption {
  return {
    tooltip: { formatter: a.funnelTooltip },
    series: [
      {
        type: "funnel",
        sort: "none",
        minSize: "10%",
        label: { formatter: (p) => funnelLabel(board, p.name, Number(p.value)) },
        data: board.funnel.map((f) => ({ name: t.stages[f.stage], value: f.customers })),
      },
    ],
  };
}

/** Inquiries and contracts per source or campaign; `left` makes room for the names. */
function breakdownChart(rows: Dashboard["by_source"], left: number): EChartsOption {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left, right: 20, top: 30, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: rows.map((s) => s.name) },
    series: [
      { name: a.inquiries, type: "bar", data: rows.map((s) => s.inquiries) },
      { name: a.contracts, type: "bar", data: rows.map((s) => s.contracts) },
    ],
  };
}

/** Contacts per month, stacked by staff member. */
export function contactsByMonth(board: Dashboard): { months: string[]; staff: { name: string; counts: number[] }[] } {
  const names = [...new Set(board.contacts.map((c) => c.staff))];
  const months = [...new Set(board.contacts.map((c) => c.day.slice(0, 7)))].sort();
  const count = (name: string, month: string) =>
    board.contacts.filter((c) => c.staff === name && c.day.startsWith(month)).reduce((n, c) => n + c.count, 0);
  return { months, staff: names.map((name) => ({ name, counts: months.map((m) => count(name, m)) })) };
}

function contactsChart(board: Dashboard): EChartsOption {
  const { months, staff } = contactsByMonth(board);
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", name: a.unitCount, minInterval: 1 },
    series: staff.map(({ name, counts }) => ({ name, type: "bar", stack: "contacts", data: counts })),
  };
}

/** Who referred whom; a node's size grows with its contribution, owners apart from prospects. */
export function networkChart(network: ReferralNetwork): EChartsOption {
  return {
    tooltip: {
      formatter: (p) => {
        const node = (Array.isArray(p) ? p[0] : p).data as { name?: string; value?: number };
        return node.name ? a.networkTooltip(node.name, node.value ?? 0) : "";
      },
    },
    series: [
      {
        type: "graph",
        layout: "force",
        roam: true,
        force: { repulsion: 300, edgeLength: 140 },
        edgeSymbol: ["none", "arrow"],
        label: { show: true, position: "bottom" },
        lineStyle: { color: "#64748b", width: 1.5, curveness: 0.1 },
        edgeSymbolSize: 8,
        data: network.nodes.map((n) => ({
          id: String(n.id),
          name: n.name,
          value: n.contribution,
          symbolSize: 14 + n.contribution * 8,
          category: n.stage === "owner" ? 1 : 0,
          customerId: n.id,
        })),
        links: network.links.map(([s, d]) => ({ source: String(s), target: String(d) })),
        categories: [{ name: a.prospects }, { name: a.owners }],
      },
    ],
    legend: { data: [a.prospects, a.owners] },
  };
}
