import { useEffect, useMemo, useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, messageOf, type CampaignResult, type Dashboard, type MonthTargets, type ReferralNetwork } from "../shared/api";
import { localDate } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import type { EChartsOption } from "echarts";
import { Chart } from "../shared/Chart";
import { t } from "../i18n";

const man = (yen: number) => Math.round(yen / 10000);

/** The numbers: targets and actuals, stage conversion, lost reasons, sources, campaigns, staff activity, referrals. */
export function AnalyticsScreen({ onOpen }: { onOpen: (id: number) => void }) {
  const { revision, statuses } = useLedger();
  const now = new Date();
  const [from, setFrom] = useState(localDate(new Date(now.getFullYear(), now.getMonth() - 5, 1)));
  const [to, setTo] = useState(localDate(now));
  const [board, setBoard] = useState<Dashboard | null>(null);
  const [network, setNetwork] = useState<ReferralNetwork | null>(null);
  const [campaigns, setCampaigns] = useState<CampaignResult[]>([]);
  const [month, setMonth] = useState(localDate(now).slice(0, 7));
  const [targets, setTargets] = useState<MonthTargets>({ inquiries: 0, negotiations: 0, contracts: 0, amount_yen: 0 });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([call(commands.dashboard(from, to)), call(commands.referralNetwork()), call(commands.campaignResults())]).then(
      ([b, n, c]) => {
        setBoard(b);
        setNetwork(n);
        setCampaigns(c);
        setError(null);
      },
      (e) => setError(messageOf(e, t.errors.unexpected)),
    );
  }, [from, to, revision]);

  useEffect(() => {
    const found = board?.months.find((m) => m.month === month);
    if (found) setTargets(found.target);
  }, [board, month]);

  const a = t.analytics;
  const charts = useMemo((): Record<"status" | "monthly" | "funnel" | "lost" | "source" | "campaign" | "contacts", EChartsOption> | null => {
    if (!board) return null;
    const months = board.months.map((m) => m.month);
    const staffNames = [...new Set(board.contacts.map((c) => c.staff))];
    const contactMonths = [...new Set(board.contacts.map((c) => c.day.slice(0, 7)))].sort();
    return {
      status: {
        tooltip: {},
        grid: { left: 150, right: 20, top: 10, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: board.by_status.map((s) => s.status) },
        series: [{ type: "bar", data: board.by_status.map((s) => ({ value: s.count, itemStyle: { color: statuses.find((x) => x.id === s.status_id)?.color } })) }],
      },
      monthly: {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 50, top: 40, bottom: 30 },
        xAxis: { type: "category", data: months },
        yAxis: [{ type: "value", name: a.unitCount, minInterval: 1 }, { type: "value", name: a.unitMan }],
        series: [
          { name: `${a.inquiries}（${a.actual}）`, type: "bar", data: board.months.map((m) => m.actual.inquiries) },
          { name: `${a.negotiations}（${a.actual}）`, type: "bar", data: board.months.map((m) => m.actual.negotiations) },
          { name: `${a.contracts}（${a.actual}）`, type: "bar", data: board.months.map((m) => m.actual.contracts) },
          { name: `${a.inquiries}（${a.target}）`, type: "line", data: board.months.map((m) => m.target.inquiries) },
          { name: `${a.contracts}（${a.target}）`, type: "line", data: board.months.map((m) => m.target.contracts) },
          { name: `${a.amount}（${a.actual}）`, type: "line", yAxisIndex: 1, data: board.months.map((m) => man(m.actual.amount_yen)) },
          { name: `${a.amount}（${a.target}）`, type: "line", yAxisIndex: 1, lineStyle: { type: "dashed" }, data: board.months.map((m) => man(m.target.amount_yen)) },
        ],
      },
      funnel: {
        tooltip: { formatter: a.funnelTooltip },
        series: [
          {
            type: "funnel",
            sort: "none",
            minSize: "10%",
            label: { formatter: (p) => {
              const first = board.funnel[0]?.customers ?? 0;
              const value = Number(p.value);
              return a.funnelLabel(p.name, value, first > 0 ? Math.round((value / first) * 100) : 0);
            } },
            data: board.funnel.map((f) => ({ name: t.stages[f.stage], value: f.customers })),
          },
        ],
      },
      lost: {
        tooltip: { formatter: a.lostTooltip },
        series: [{ type: "pie", radius: ["35%", "65%"], data: board.lost_reasons.map((r) => ({ name: r.name, value: r.count })) }],
      },
      source: {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 110, right: 20, top: 30, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: board.by_source.map((s) => s.name) },
        series: [
          { name: a.inquiries, type: "bar", data: board.by_source.map((s) => s.inquiries) },
          { name: a.contracts, type: "bar", data: board.by_source.map((s) => s.contracts) },
        ],
      },
      campaign: {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 130, right: 20, top: 30, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: board.by_campaign.map((s) => s.name) },
        series: [
          { name: a.inquiries, type: "bar", data: board.by_campaign.map((s) => s.inquiries) },
          { name: a.contracts, type: "bar", data: board.by_campaign.map((s) => s.contracts) },
        ],
      },
      contacts: {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "category", data: contactMonths },
        yAxis: { type: "value", name: a.unitCount, minInterval: 1 },
        series: staffNames.map((name) => ({
          name,
          type: "bar",
          stack: "contacts",
          data: contactMonths.map((m) => board.contacts.filter((c) => c.staff === name && c.day.startsWith(m)).reduce((n, c) => n + c.count, 0)),
        })),
      },
    };
  }, [board, statuses, a]);

  const networkOption = useMemo((): EChartsOption | null => {
    if (!network) return null;
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
          data: network.nodes.map((n) => ({ id: String(n.id), name: n.name, value: n.contribution, symbolSize: 14 + n.contribution * 8, category: n.stage === "owner" ? 1 : 0, customerId: n.id })),
          links: network.links.map(([s, d]) => ({ source: String(s), target: String(d) })),
          categories: [{ name: a.prospects }, { name: a.owners }],
        },
      ],
      legend: { data: [a.prospects, a.owners] },
    };
  }, [network]);

  async function saveTargets() {
    try {
      await call(commands.saveMonthTargets(month, targets));
      setBoard(await call(commands.dashboard(from, to)));
      setNotice(t.followUp.saved);
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  async function exportReport() {
    const dest = await save({ defaultPath: `日報_${from}_${to}.xlsx`, filters: [{ name: "Excel", extensions: ["xlsx"] }] });
    if (!dest) return;
    try {
      const n = await call(commands.exportWorkReport(from, to, dest, true));
      setNotice(a.reportDone(n, dest));
    } catch (e) {
      setError(messageOf(e, t.errors.unexpected));
    }
  }

  const setTarget = (key: keyof MonthTargets, value: string) => setTargets((x) => ({ ...x, [key]: Math.max(0, Number(value) || 0) * (key === "amount_yen" ? 10000 : 1) }));

  return (
    <div className="screen analytics" data-testid="analytics-screen">
      <div className="toolbar">
        <h2>{a.title}</h2>
        <label>
          {a.from} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="analytics-from" />
        </label>
        <label>
          {a.to} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="analytics-to" />
        </label>
        <button onClick={() => void exportReport()} data-testid="work-report">
          {a.workReport}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {notice && <p className="ok" data-testid="analytics-notice">{notice}</p>}
      {!board || !charts ? (
        <p className="muted">{t.app.loading}</p>
      ) : (
        <div className="chart-grid">
          <section className="card">
            <h3>{a.byStatus}</h3>
            <Chart option={charts.status } testId="chart-status" />
          </section>
          <section className="card wide">
            <h3>{a.monthly}</h3>
            <Chart option={charts.monthly } height={300} testId="chart-monthly" />
            <div className="targets" data-testid="targets">
              <strong>{a.targets}</strong>
              <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} aria-label={a.month} />
              <label>{a.inquiries}<input type="number" min={0} value={targets.inquiries} onChange={(e) => setTarget("inquiries", e.target.value)} data-testid="target-inquiries" /></label>
              <label>{a.negotiations}<input type="number" min={0} value={targets.negotiations} onChange={(e) => setTarget("negotiations", e.target.value)} /></label>
              <label>{a.contracts}<input type="number" min={0} value={targets.contracts} onChange={(e) => setTarget("contracts", e.target.value)} data-testid="target-contracts" /></label>
              <label>{a.amount}<input type="number" min={0} value={man(targets.amount_yen)} onChange={(e) => setTarget("amount_yen", e.target.value)} /></label>
              <button onClick={() => void saveTargets()} data-testid="targets-save">{a.saveTargets}</button>
            </div>
          </section>
          <section className="card">
            <h3>{a.funnel}</h3>
            <Chart option={charts.funnel } testId="chart-funnel" />
          </section>
          <section className="card">
            <h3>{a.lostReasons}</h3>
            {board.lost_reasons.length === 0 ? <p className="muted">{a.none}</p> : <Chart option={charts.lost } testId="chart-lost" />}
          </section>
          <section className="card">
            <h3>{a.bySource}</h3>
            <Chart option={charts.source } testId="chart-source" />
          </section>
          <section className="card">
            <h3>{a.byCampaign}</h3>
            <Chart option={charts.campaign } testId="chart-campaign" />
          </section>
          <section className="card wide">
            <h3>{a.contactsByStaff}</h3>
            {board.contacts.length === 0 ? <p className="muted">{a.none}</p> : <Chart option={charts.contacts } testId="chart-contacts" />}
          </section>
          <section className="card wide">
            <h3>{a.campaigns}</h3>
            <table className="plain" data-testid="campaign-results">
              <thead>
                <tr>
                  <th>{t.campaigns.name}</th><th>{t.campaigns.kind}</th><th>{t.campaigns.heldOn}</th><th>{a.cost}</th>
                  <th>{a.inquiries}</th><th>{a.meetings}</th><th>{a.contracts}</th><th>{a.amount}</th><th>{a.costPerInquiry}</th><th>{a.costPerContract}</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((r) => (
                  <tr key={r.campaign.id}>
                    <td>{r.campaign.name}</td><td>{r.campaign.kind}</td><td>{r.campaign.held_on}</td>
                    <td className="num">{r.campaign.cost_yen.toLocaleString("ja-JP")}</td>
                    <td className="num">{r.inquiries}</td><td className="num">{r.meetings}</td><td className="num">{r.contracts}</td>
                    <td className="num">{man(r.amount_yen).toLocaleString("ja-JP")}</td>
                    <td className="num">{r.cost_per_inquiry?.toLocaleString("ja-JP") ?? "—"}</td>
                    <td className="num">{r.cost_per_contract?.toLocaleString("ja-JP") ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card wide">
            <h3>{a.network}</h3>
            {!network || network.nodes.length === 0 || !networkOption ? (
              <p className="muted">{a.noNetwork}</p>
            ) : (
              <Chart option={networkOption } height={380} testId="chart-network" onClick={(d) => { const id = (d as { customerId?: number })?.customerId; if (id) onOpen(id); }} />
            )}
          </section>
        </div>
      )}
    </div>
  );
}
