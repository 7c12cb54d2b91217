import { NotPermitted } from "../shared/NotPermitted";
import { JOIN_STEPS, stepState } from "./join";
import type { OfficeSettings } from "./use-office-settings";
import { t } from "../i18n";

const o = t.office;

/** 「親機につなぐ」: the hub's name, the code, this PC's name, and the steps
 *  of joining as they pass. Enter in any field joins. */
export function JoinForm({ office }: { office: OfficeSettings }) {
  const { form, edit } = office;
  return (
    <form
      className="office-join"
      onSubmit={(e) => {
        e.preventDefault();
        if (office.mayJoin && !office.busy) void office.join();
      }}
    >
      <p className="banner warn small">{o.alone.joinWarning}</p>
      <FoundHubs office={office} />
      <label className="field wide">
        <span>{o.alone.address}</span>
        <input value={form.address} onChange={(e) => edit.address(e.target.value)} data-testid="office-address" autoComplete="off" />
        <small className="muted">{o.alone.addressHint}</small>
      </label>
      <label className="field wide">
        <span>{o.alone.code}</span>
        <input
          className="pairing-input"
          value={form.code}
          onChange={(e) => edit.code(e.target.value)}
          placeholder="123456-ABCD-EFGH"
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          data-testid="office-code"
        />
        <small className="muted">{o.alone.codeHint}</small>
      </label>
      <label className="field wide">
        <span>{o.alone.pcName}</span>
        <input value={form.pcName} onChange={(e) => edit.pcName(e.target.value)} data-testid="office-pc-name-input" />
        <small className="muted">{o.alone.pcNameHint}</small>
      </label>
      {office.step && <JoinSteps step={office.step} />}
      <div className="add-row">
        <button className="primary" type="submit" disabled={!office.mayJoin || office.busy} data-testid="office-join">
          {o.alone.connect}
        </button>
      </div>
    </form>
  );
}

/** The hubs that answered on this network; choosing one fills the address. */
function FoundHubs({ office }: { office: OfficeSettings }) {
  const { search, form, edit } = office;
  return (
    <div className="office-found" data-testid="office-found">
      <div className="add-row">
        <strong>{o.found.title}</strong>
        <button type="button" disabled={search.searching} onClick={office.findHubs} data-testid="office-find">
          {o.found.again}
        </button>
      </div>
      {/* One line whatever the outcome, so the fields below do not move while the person types. */}
      {search.found.length === 0 && (
        <p className="muted small" data-testid="office-found-status">
          {search.searching ? o.found.searching : (search.failed ?? o.found.none)}
        </p>
      )}
      {search.found.length > 0 && (
        <ul className="office-found-list">
          {search.found.map((hub) => (
            <li key={hub.fingerprint}>
              <button
                type="button"
                className={form.address === hub.address ? "chosen" : undefined}
                aria-pressed={form.address === hub.address}
                onClick={() => edit.address(hub.address)}
                data-testid="office-found-hub"
              >
                {o.found.hub(hub.office, hub.pc, hub.address)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function JoinSteps({ step }: { step: NonNullable<OfficeSettings["step"]> }) {
  const at = JOIN_STEPS.indexOf(step);
  return (
    <div className="join-steps" data-testid="office-join-steps">
      <progress max={JOIN_STEPS.length} value={at + 0.5} aria-label={o.steps[step]} />
      <ol>
        {JOIN_STEPS.map((s) => (
          <li key={s} className={stepState(step, s)}>
            {o.steps[s]}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** After joining: the customers this PC had, counted against the office's
 *  (new, the same person), imported on request and undoable. */
export function PreviousLedger({ office }: { office: OfficeSettings }) {
  const p = office.previous;
  if (!p) return null;
  if (p.outcome)
    return (
      <p className="banner ok" data-testid="office-previous-done">
        {o.previous.done(p.outcome.created, p.outcome.merged)}
      </p>
    );
  if (p.skipped) return <p className="muted">{o.previous.skipped(p.path)}</p>;
  return (
    <div className="card office-previous" data-testid="office-previous">
      <strong>{o.previous.ask(p.customers)}</strong>
      <p data-testid="office-previous-counts">{p.preview ? o.previous.counts(p.preview.create, p.preview.merge) : o.previous.counting}</p>
      <p className="muted small">{o.previous.undoable}</p>
      {office.mayImport ? (
        <div className="add-row">
          <button
            className="primary"
            disabled={!p.preview || office.busy}
            onClick={() => void office.importPrevious()}
            data-testid="office-previous-import"
          >
            {o.previous.importNow}
          </button>
          <button disabled={office.busy} onClick={office.skipPrevious}>
            {o.previous.skip}
          </button>
        </div>
      ) : (
        <NotPermitted need="import" />
      )}
    </div>
  );
}
