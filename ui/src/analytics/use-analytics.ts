// The analytics screen's state: the period, the figures for it (read again
// after every write), the month targets being edited, and the work report.
import { useEffect, useMemo, useState } from "react";
import { save } from "@tauri-apps/plugin-dialog";
import { call, commands, type CampaignResult, type Dashboard, type MonthTargets, type ReferralNetwork } from "../shared/api";
import { localDate } from "../shared/format";
import { useLedger } from "../shared/ledger-context";
import { useAction } from "../shared/use-action";
import { dashboardCharts, networkChart } from "./charts";
import { t } from "../i18n";

export type Analytics = ReturnType<typeof useAnalytics>;

const noTargets: MonthTargets = { inquiries: 0, negotiations: 0, contracts: 0, amount_yen: 0 };

/** The last six months, this one included. */
function initialPeriod() {
  const now = new Date();
  return { from: localDate(new Date(now.getFullYear(), now.getMonth() - 5, 1)), to: localDate(now), month: localDate(now).slice(0, 7) };
}

export function useAnalytics() {
  const { revision, statuses } = useLedger();
  const action = useAction();
  const { run, fail, clear } = action;
  const [period] = useState(initialPeriod);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [month, setMonth] = useState(period.month);
  const [board, setBoard] = useState<Dashboard | null>(null);
  const [network, setNetwork] = useState<ReferralNetwork | null>(null);
  const [campaigns, setCampaigns] = useState<CampaignResult[]>([]);
  // Targets typed for a month; the figures' own targets show until the office types.
  const [typed, setTyped] = useState<{ month: string; board: Dashboard | null; targets: MonthTargets } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([call(commands.dashboard(from, to)), call(commands.referralNetwork()), call(commands.campaignResults())]).then(
      ([b, n, c]) => {
        setBoard(b);
        setNetwork(n);
        setCampaigns(c);
        clear();
      },
      fail,
    );
  }, [from, to, revision, clear, fail]);

  const stored = board?.months.find((m) => m.month === month)?.target ?? noTargets;
  const targets = typed?.month === month && typed.board === board ? typed.targets : stored;

  /** A target as typed: never negative, the amount typed in 万円. */
  const setTarget = (key: keyof MonthTargets, value: string) =>
    setTyped({ month, board, targets: { ...targets, [key]: Math.max(0, Number(value) || 0) * (key === "amount_yen" ? 10000 : 1) } });

  const saveTargets = () =>
    run(async () => {
      await call(commands.saveMonthTargets(month, targets));
      setBoard(await call(commands.dashboard(from, to)));
      setNotice(t.followUp.saved);
    });

  async function exportReport() {
    const dest = await save({ defaultPath: t.analytics.reportFile(from, to), filters: [{ name: "Excel", extensions: ["xlsx"] }] });
    if (!dest) return;
    await run(async () => setNotice(t.analytics.reportDone(await call(commands.exportWorkReport(from, to, dest, true)), dest)));
  }

  const charts = useMemo(() => (board ? dashboardCharts(board, statuses) : null), [board, statuses]);
  const networkOption = useMemo(() => (network && network.nodes.length > 0 ? networkChart(network) : null), [network]);

  return {
    ...action,
    from,
    to,
    month,
    board,
    campaigns,
    charts,
    networkOption,
    targets,
    notice,
    setFrom,
    setTo,
    setMonth,
    setTarget,
    saveTargets,
    exportReport,
  };
}
