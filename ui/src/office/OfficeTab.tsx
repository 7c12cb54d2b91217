import { useState, type ReactNode } from "react";
import type { OfficeSetup } from "../shared/api";
import { JoinForm, PreviousLedger } from "./JoinPanel";
import { useOfficeSettings, type OfficeSettings } from "./use-office-settings";
import { t } from "../i18n";

const o = t.office;

/** Settings → 複数台で使う: what this PC is in the office, and what it can do next. */
export function OfficeTab() {
  const office = useOfficeSettings();
  const { setup } = office;
  if (!setup) return <section className="muted">{office.error ?? t.app.loading}</section>;
  return (
    <section className="office-settings" data-testid="office-settings" data-role={setup.role}>
      <h3>{t.settings.tabs.office}</h3>
      <p className="muted">{o.lead}</p>
      {office.left && (
        <p className="banner ok" data-testid="office-left">
          {o.pc.left(office.left.sent, office.left.dropped)}
        </p>
      )}
      {office.joined && (
        <p className="banner ok" data-testid="office-joined">
          {o.joined(office.joined.hub_name, office.joined.device)}
        </p>
      )}
      {office.previous && <PreviousLedger office={office} />}
      {setup.role === "alone" && <Alone office={office} />}
      {setup.role === "hub" && <Hub office={office} setup={setup} />}
      {setup.role === "pc" && <Pc office={office} setup={setup} />}
    </section>
  );
}

function Failure({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert" data-testid="office-error">
      {error}
    </p>
  ) : null;
}

/** A question asked in place before a step that changes this PC's place
 *  in the office: yes (focused, so Enter answers) or やめる. */
function Confirm({
  question,
  yes,
  tone,
  busy,
  onYes,
  onNo,
  testId,
  children,
}: {
  question: string;
  yes: string;
  tone: "primary" | "danger";
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="office-confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === "Escape" && onNo()}>
      <strong>{question}</strong>
      <div className="add-row">
        <button className={tone} autoFocus disabled={busy} onClick={onYes} data-testid={testId}>
          {yes}
        </button>
        <button onClick={onNo}>{o.alone.cancel}</button>
      </div>
      {children}
    </div>
  );
}

/** On its own: become the hub, or join one. */
function Alone({ office }: { office: OfficeSettings }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="office-choices">
      <div className="card office-choice" data-testid="office-choice-hub">
        <h4>{o.alone.becomeHub}</h4>
        <p>{o.alone.becomeHubLead}</p>
        <ul className="office-points">
          {o.alone.hubPoints.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        {confirming ? (
          <Confirm
            question={o.alone.hubConfirm}
            yes={o.alone.hubYes}
            tone="primary"
            busy={office.busy}
            onYes={() => void office.becomeHub()}
            onNo={() => setConfirming(false)}
            testId="office-hub-yes"
          >
            <Failure error={office.error} />
          </Confirm>
        ) : (
          <button className="primary" onClick={() => setConfirming(true)} data-testid="office-become-hub">
            {o.alone.becomeHub}
          </button>
        )}
      </div>
      <div className="card office-choice" data-testid="office-choice-join">
        <h4>{o.alone.join}</h4>
        <p>{o.alone.joinLead}</p>
        <JoinForm office={office} />
        {!confirming && <Failure error={office.error} />}
      </div>
    </div>
  );
}

/** The hub: its name and address, the PCs, and a pairing code on demand. */
function Hub({ office, setup }: { office: OfficeSettings; setup: OfficeSetup }) {
  const offer = office.offer;
  return (
    <div className="office-role">
      <h4>{o.hub.title}</h4>
      {setup.sleep_note && <p className="banner warn">{setup.sleep_note}</p>}
      <dl className="office-facts">
        <dt>{o.hub.pcName}</dt>
        <dd data-testid="office-pc-name">{setup.pc_name}</dd>
        <dt>{o.hub.address}</dt>
        <dd className="mono" data-testid="office-hub-url">
          {setup.hub_url}
        </dd>
      </dl>
      <p className="muted small">{o.hub.addressHint}</p>
      <button className="primary" disabled={office.busy} onClick={() => void office.newCode()} data-testid="office-pairing">
        {o.hub.pairing}
      </button>
      <Failure error={office.error} />
      {offer && (
        <div className="card pairing" data-testid="office-pairing-panel">
          <div>
            <p>{o.hub.pairingLead}</p>
            <p className="pairing-code" data-testid="office-pairing-code">
              {offer.code}
            </p>
            <p className="muted small">{o.hub.valid(offer.minutes)}</p>
            <p className="mono small">{offer.hub_url}</p>
          </div>
          {offer.qr_svg && (
            <img
              className="pairing-qr"
              src={"data:image/svg+xml;utf8," + encodeURIComponent(offer.qr_svg)}
              alt={o.hub.qr}
              data-testid="office-pairing-qr"
            />
          )}
        </div>
      )}
      <Pcs setup={setup} />
    </div>
  );
}

/** One of the PCs: its hub, its number, the others, and leaving. */
function Pc({ office, setup }: { office: OfficeSettings; setup: OfficeSetup }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="office-role">
      <h4>{o.pc.title}</h4>
      <dl className="office-facts">
        <dt>{o.pc.hubName}</dt>
        <dd data-testid="office-hub-name">{setup.hub_name}</dd>
        <dt>{o.pc.address}</dt>
        <dd className="mono" data-testid="office-hub-url">
          {setup.hub_url}
        </dd>
        {setup.device !== null && (
          <>
            <dt>{o.pc.number}</dt>
            <dd data-testid="office-device">{o.pc.numberValue(setup.device)}</dd>
          </>
        )}
      </dl>
      <Pcs setup={setup} />
      {confirming ? (
        <Confirm
          question={o.pc.leaveConfirm}
          yes={o.pc.leaveYes}
          tone="danger"
          busy={office.busy}
          onYes={() => void office.leave(false)}
          onNo={() => setConfirming(false)}
          testId="office-leave-yes"
        >
          <Failure error={office.error} />
          {office.unreachable && (
            <div className="banner warn" data-testid="office-force">
              <p>{o.pc.forceWarning}</p>
              <button className="danger" disabled={office.busy} onClick={() => void office.leave(true)} data-testid="office-leave-force">
                {o.pc.forceLeave}
              </button>
            </div>
          )}
        </Confirm>
      ) : (
        <button onClick={() => setConfirming(true)} data-testid="office-leave">
          {o.pc.leave}
        </button>
      )}
    </div>
  );
}

function Pcs({ setup }: { setup: OfficeSetup }) {
  return (
    <div className="setting-block">
      <strong>{o.pcs}</strong>
      {setup.pcs.length === 0 ? (
        <p className="muted">{o.noPcs}</p>
      ) : (
        <ul className="office-pcs" data-testid="office-pcs">
          {setup.pcs.map((pc) => (
            <li key={pc.id}>
              <span className="office-pc-number">{o.pcNumber(pc.id)}</span>
              <span>{pc.name}</span>
              {pc.hub && <span className="muted">{o.hubItself}</span>}
              {pc.id === setup.device && <span className="muted">{o.thisPc}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{o.pcsHint}</p>
    </div>
  );
}
