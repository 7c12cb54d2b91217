import { Chart } from "../shared/Chart";
import { man } from "./charts";
import { repeatHouses, requestDays, sideBySide, type RequestRow } from "./requests";
import { useAnalytics, type Analytics } from "./use-analytics";
import type { RequestMonth } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { t } from "../i18n";

const a = t.analytics;

/** The numbers: targets and actuals, stage conversion, lost reasons, sources, campaigns, staff activity, referrals. */
export function AnalyticsScreen({ onOpen }: { onOpen: (id: number) => void }) {
  const x = useAnalytics();
  const { may } = useLedger();
  return (
    <div className="screen analytics" data-testid="analytics-screen">
      <div className="toolbar">
        <h2>{a.title}</h2>
        <label>
          {a.from} <input type="date" value={x.from} onChange={(e) => x.setFrom(e.target.value)} data-testid="analytics-from" />
        </label>
        <label>
          {a.to} <input type="date" value={x.to} onChange={(e) => x.setTo(e.target.value)} data-testid="analytics-to" />
        </label>
        {may("export") && (
          <button onClick={() => void x.exportReport()} data-testid="work-report">
            {a.workReport}
          </button>
        )}
      </div>
      {x.error && <p className="error">{x.error}</p>}
      {x.notice && (
        <p className="ok" data-testid="analytics-notice">
          {x.notice}
        </p>
      )}
      {!x.board || !x.charts ? <p className="muted">{t.app.loading}</p> : <Charts x={x} onOpen={onOpen} />}
    </div>
  );
}

function Charts({ x, onOpen }: { x: Analytics; onOpen: (id: number) => void }) {
  const { board, charts } = x;
  if (!board || !charts) return null;
  return (
    <div className="chart-grid">
      <section className="card">
        <h3>{a.byStatus}</h3>
        <Chart option={charts.status} testId="chart-status" />
      </section>
      <section className="card wide">
        <h3>{a.monthly}</h3>
        <Chart option={charts.monthly} height={300} testId="chart-monthly" />
        <Targets x={x} />
      </section>
      <section className="card">
        <h3>{a.funnel}</h3>
        <Chart option={charts.funnel} testId="chart-funnel" />
      </section>
      <section className="card">
        <h3>{a.lostReasons}</h3>
        {board.lost_reasons.length === 0 ? <p className="muted">{a.none}</p> : <Chart option={charts.lost} testId="chart-lost" />}
      </section>
      <section className="card">
        <h3>{a.bySource}</h3>
        <Chart option={charts.source} testId="chart-source" />
      </section>
      <section className="card">
        <h3>{a.byCampaign}</h3>
        <Chart option={charts.campaign} testId="chart-campaign" />
      </section>
      <section className="card wide">
        <h3>{a.contactsByStaff}</h3>
        {board.contacts.length === 0 ? <p className="muted">{a.none}</p> : <Chart option={charts.contacts} testId="chart-contacts" />}
      </section>
      <CampaignResults x={x} />
      <RequestFigures x={x} />
      <section className="card wide">
        <h3>{a.network}</h3>
        {!x.networkOption ? (
          <p className="muted">{a.noNetwork}</p>
        ) : (
          <Chart option={x.networkOption} height={380} testId="chart-network" onClick={(d) => openNode(d, onOpen)} />
        )}
      </section>
    </div>
  );
}

/** A click on a person in the network opens their record. */
function openNode(data: unknown, onOpen: (id: number) => void) {
  const id = (data as { customerId?: number } | undefined)?.customerId;
  if (id) onOpen(id);
}

function Targets({ x }: { x: Analytics }) {
  const { targets, setTarget } = x;
  const { may } = useLedger();
  return (
    <div className="targets" data-testid="targets">
      <strong>{a.targets}</strong>
      <input type="month" value={x.month} onChange={(e) => x.setMonth(e.target.value)} aria-label={a.month} />
      <label>
        {a.inquiries}
        <input
          type="number"
          min={0}
          value={targets.inquiries}
          onChange={(e) => setTarget("inquiries", e.target.value)}
          data-testid="target-inquiries"
        />
      </label>
      <label>
        {a.negotiations}
        <input type="number" min={0} value={targets.negotiations} onChange={(e) => setTarget("negotiations", e.target.value)} />
      </label>
      <label>
        {a.contracts}
        <input
          type="number"
          min={0}
          value={targets.contracts}
          onChange={(e) => setTarget("contracts", e.target.value)}
          data-testid="target-contracts"
        />
      </label>
      <label>
        {a.amount}
        <input type="number" min={0} value={man(targets.amount_yen)} onChange={(e) => setTarget("amount_yen", e.target.value)} />
      </label>
      {may("settings") && (
        <button onClick={() => void x.saveTargets()} data-testid="targets-save">
          {a.saveTargets}
        </button>
      )}
    </div>
  );
}

const yen = (n: number | null) => n?.toLocaleString("ja-JP") ?? t.options.none;

function CampaignResults({ x }: { x: Analytics }) {
  return (
    <section className="card wide">
      <h3>{a.campaigns}</h3>
      <table className="plain" data-testid="campaign-results">
        <thead>
          <tr>
            {[
              t.campaigns.name,
              t.campaigns.kind,
              t.campaigns.heldOn,
              a.cost,
              a.inquiries,
              a.meetings,
              a.contracts,
              a.amount,
              a.costPerInquiry,
              a.costPerContract,
            ].map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {x.campaigns.map((r) => (
            <tr key={r.campaign.id}>
              <td>{r.campaign.name}</td>
              <td>{r.campaign.kind}</td>
              <td>{r.campaign.held_on}</td>
              <td className="num">{yen(r.campaign.cost_yen)}</td>
              <td className="num">{r.inquiries}</td>
              <td className="num">{r.meetings}</td>
              <td className="num">{r.contracts}</td>
              <td className="num">{yen(man(r.amount_yen))}</td>
              <td className="num">{yen(r.cost_per_inquiry)}</td>
              <td className="num">{yen(r.cost_per_contract)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** After-care in the period: received and closed per month, days to close, by category and cause, by partner and the house's age, repeat houses. */
function RequestFigures({ x }: { x: Analytics }) {
  if (!x.board) return null;
  const figures = x.board.requests;
  const repeats = repeatHouses(figures);
  return (
    <section className="card wide" data-testid="request-figures">
      <h3>{a.requests}</h3>
      <p data-testid="request-totals">
        {a.requestTotals(figures.received, figures.closed)} ・ {requestDays(figures)}
      </p>
      {figures.received + figures.closed === 0 ? (
        <p className="muted">{a.none}</p>
      ) : (
        <>
          <RequestMonths months={figures.months} />
          <SideBySide
            testId="request-breakdown"
            titles={[a.requestCategory, a.requestCause]}
            rows={sideBySide(figures.by_category, figures.by_cause)}
          />
          <SideBySide
            testId="request-partner-age"
            titles={[a.requestPartner, a.requestHouseAge]}
            rows={sideBySide(figures.by_partner, figures.by_house_age)}
          />
          <p data-testid="request-repeats">{repeats.count}</p>
          {repeats.houses.length > 0 && (
            <ul data-testid="request-repeat-houses">
              {repeats.houses.map((house, i) => (
                <li key={i}>{house}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function RequestMonths({ months }: { months: RequestMonth[] }) {
  return (
    <table className="plain" data-testid="request-months">
      <thead>
        <tr>
          <th>{a.requestMonth}</th>
          <th>{a.requestReceived}</th>
          <th>{a.requestClosed}</th>
        </tr>
      </thead>
      <tbody>
        {months.map((m) => (
          <tr key={m.month}>
            <td>{m.month}</td>
            <td className="num">{m.received}</td>
            <td className="num">{m.closed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Two counts side by side, each with its number of requests. */
function SideBySide({ testId, titles, rows }: { testId: string; titles: [string, string]; rows: RequestRow[] }) {
  return (
    <table className="plain" data-testid={testId}>
      <thead>
        <tr>
          <th>{titles[0]}</th>
          <th>{a.requestCount}</th>
          <th>{titles[1]}</th>
          <th>{a.requestCount}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <td>{row.left?.name}</td>
            <td className="num">{row.left?.count}</td>
            <td>{row.right?.name}</td>
            <td className="num">{row.right?.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
