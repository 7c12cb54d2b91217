import type { FileFormat, Group, Order, Prepared } from "../shared/api";
import { OptionsOf } from "../shared/Inputs";
import { useLedger } from "../shared/ledger-context";
import { ChecksEditor, ColumnsEditor } from "./ColumnsEditor";
import { STANDARD_COLUMNS, excludedSummary, isPrint, problemText } from "./export";
import { PrintPanel } from "./PrintPanel";
import { useDmExport, type DmExport } from "./use-dm-export";
import { t } from "../i18n";

/** The DM list of the segment being edited: choose, check, then write. */
export function ExportPanel({ segmentName, filter, onExported }: { segmentName: string; filter: Group; onExported: () => void }) {
  const x = useDmExport(segmentName, filter, onExported);
  const outcome = x.outcome;
  return (
    <section>
      <h3>{t.dm.exportTitle}</h3>
      <ExportChoices x={x} />
      {isPrint(x.choices.format) && <PrintPanel p={x.print} postcard={x.choices.format === "pdf_postcard"} />}
      <ColumnsEditor columns={x.choices.columns} standard={STANDARD_COLUMNS} onChange={(columns) => x.choose({ columns })} />
      {x.checks && <ChecksEditor options={x.checks} onChange={x.changeChecks} />}
      {x.error && (
        <p className="error" data-testid="dm-error">
          {x.error}
        </p>
      )}
      {x.prepared && <PreparedList x={x} prepared={x.prepared} />}
      {outcome && (
        <div className="banner ok-banner" data-testid="dm-done">
          {t.dm.exported(outcome.file, outcome.rows)}
          {isPrint(x.choices.format) && (
            <button data-testid="open-pdf" onClick={() => void x.print.openPdf(outcome.file)}>
              {t.dm.openPdf}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function ExportChoices({ x }: { x: DmExport }) {
  const { campaigns } = useLedger();
  const { choices, choose } = x;
  return (
    <div className="add-row wrap">
      <label className="inline-field">
        {t.dm.format}
        <select data-testid="dm-format" value={choices.format} onChange={(e) => choose({ format: e.target.value as FileFormat })}>
          <OptionsOf labels={t.dm.formats} />
        </select>
      </label>
      <label className="inline-field">
        {t.dm.order}
        <select value={choices.order} onChange={(e) => choose({ order: e.target.value as Order })}>
          <OptionsOf labels={t.dm.orders} />
        </select>
      </label>
      <label className="inline-field">
        {t.dm.maxJoint}
        <input type="number" min={0} max={5} value={choices.maxJoint} onChange={(e) => choose({ maxJoint: Number(e.target.value) })} />
      </label>
      <label className="inline-field">
        {t.dm.campaign}
        <input value={choices.campaign} onChange={(e) => choose({ campaign: e.target.value })} />
      </label>
      <label className="inline-field">
        {t.dm.campaignLink}
        <select
          value={choices.campaignId ?? ""}
          onChange={(e) => choose({ campaignId: e.target.value ? Number(e.target.value) : null })}
          data-testid="dm-campaign"
        >
          <option value="">{t.campaigns.none}</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <button className="primary" data-testid="dm-prepare" onClick={() => void x.prepare()}>
        {t.dm.prepare}
      </button>
    </div>
  );
}

/** What the file would hold: counts, who is left out and why, the findings to approve, a sample, where to write. */
function PreparedList({ x, prepared }: { x: DmExport; prepared: Prepared }) {
  return (
    <div data-testid="dm-prepared">
      {prepared.rows === 0 ? (
        <p className="error">{t.dm.empty}</p>
      ) : (
        <div className="summary">
          <div className="stat">
            <span>{t.dm.exportTitle}</span>
            <strong data-testid="dm-rows">{t.dm.rows(prepared.rows)}</strong>
          </div>
          <div className="stat">
            <span>{t.dm.merged}</span>
            <strong data-testid="dm-merged">{t.dm.people(prepared.households_merged)}</strong>
          </div>
        </div>
      )}
      <Excluded excluded={prepared.excluded} />
      <Findings x={x} problems={prepared.problems} />
      {prepared.rows > 0 && <Sample x={x} prepared={prepared} />}
    </div>
  );
}

function Excluded({ excluded }: { excluded: Prepared["excluded"] }) {
  if (excluded.length === 0) return null;
  return (
    <details className="problems" data-testid="dm-excluded">
      <summary>{t.dm.excluded(excluded.length, excludedSummary(excluded))}</summary>
      <ul>
        {excluded.map((p) => (
          <li key={p.customer_id}>
            {p.name} <span className="muted">{t.dm.reasons[p.reason]}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Characters CP932 lacks, lengths, banned words: nothing is written until the office approves them. */
function Findings({ x, problems }: { x: DmExport; problems: Prepared["problems"] }) {
  if (problems.length === 0) return null;
  return (
    <details className="problems" open data-testid="dm-problems">
      <summary>{t.app.counted(t.dm.problems, problems.length)}</summary>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <span className="muted">{t.dm.problemPlace(p.row, p.column)}</span> {t.dm.problemLine(p.value, problemText(p))}
          </li>
        ))}
      </ul>
      <label className="check">
        <input type="checkbox" data-testid="dm-approve" checked={x.approved} onChange={(e) => x.setApproved(e.target.checked)} />
        {t.dm.approve}
      </label>
    </details>
  );
}

function Sample({ x, prepared }: { x: DmExport; prepared: Prepared }) {
  // A print's pieces are laid out, not columns: its first page shows above instead.
  const table = !isPrint(x.choices.format);
  return (
    <>
      {table && <h3>{t.dm.sample}</h3>}
      {table && (
        <div className="table-scroll">
          <table className="settings-table sample" data-testid="dm-sample">
            <thead>
              <tr>
                {x.choices.columns.map((c) => (
                  <th key={c.field}>{c.header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {prepared.preview.map((cells, i) => (
                <tr key={i}>
                  {cells.map((v, j) => (
                    <td key={j}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="add-row">
        <input className="path" data-testid="dm-dest" placeholder={t.dm.dest} value={x.dest} onChange={(e) => x.setDest(e.target.value)} />
        <button onClick={() => void x.chooseDest()}>{t.dm.chooseDest}</button>
        <button
          className="primary"
          data-testid="dm-export"
          disabled={!x.dest || (prepared.problems.length > 0 && !x.approved)}
          onClick={() => void x.exportList()}
        >
          {t.dm.export}
        </button>
      </div>
    </>
  );
}
