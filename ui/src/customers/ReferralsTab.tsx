import type { Customer, Referrals } from "../shared/api";
import { useLedger } from "../shared/ledger-context";
import { useReferrals } from "./use-referrals";
import { t } from "../i18n";

/** Who referred this customer, whom they referred, and their contribution. */
export function ReferralsTab({
  customer,
  onChanged,
  onOpen,
}: {
  customer: Customer;
  onChanged: (c: Customer) => void;
  onOpen: (id: number) => void;
}) {
  const { info, text, setText, candidates, error, setReferrer } = useReferrals(customer, onChanged);
  const editable = useLedger().may("customers");

  if (!info) return error ? <p className="error">{error}</p> : <p className="muted">{t.app.loading}</p>;
  return (
    <div className="referrals-tab" data-testid="referrals-tab">
      <h4>{t.referrals.referrer}</h4>
      <p data-testid="referrer">
        {info.referrer?.erased ? (
          info.referrer.name
        ) : info.referrer ? (
          <>
            <button className="link" onClick={() => onOpen(info.referrer!.id)}>
              {info.referrer.name}
            </button>{" "}
            <span className="muted small">{info.referrer.status}</span>{" "}
            {editable && (
              <button className="small-button" onClick={() => void setReferrer(null)}>
                {t.referrals.clear}
              </button>
            )}
          </>
        ) : (
          t.referrals.none
        )}
      </p>
      {editable && (
        <>
          <input placeholder={t.referrals.search} value={text} onChange={(e) => setText(e.target.value)} data-testid="referrer-search" />
          <ul className="picker">
            {candidates.map((r) => (
              <li key={r.id}>
                <button className="link" onClick={() => void setReferrer(r.id)} data-testid={`referrer-pick-${r.id}`}>
                  {r.family_name} {r.given_name}
                </button>
                <span className="muted small"> {r.address}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p className="error" data-testid="referral-error">
          {error}
        </p>
      )}
      <h4>{t.referrals.referred}</h4>
      {info.referred.length === 0 ? (
        <p className="muted">{t.referrals.noneReferred}</p>
      ) : (
        <ul data-testid="referred-list">
          {info.referred.map((p) => (
            <li key={p.id}>
              <button className="link" onClick={() => onOpen(p.id)}>
                {p.name}
              </button>{" "}
              <span className="muted small">{p.status}</span>
            </li>
          ))}
        </ul>
      )}
      <Contribution k={info.contribution} />
    </div>
  );
}

/** Repeat contracts and the contracts of those referred, with their amounts. */
function Contribution({ k }: { k: Referrals["contribution"] }) {
  return (
    <>
      <h4>{t.referrals.contribution}</h4>
      <table className="plain" data-testid="contribution">
        <tbody>
          <tr>
            <th>{t.referrals.repeat}</th>
            <td>{t.referrals.count(k.repeat_contracts)}</td>
            <td className="num">{t.app.yen(k.repeat_amount_yen)}</td>
          </tr>
          <tr>
            <th>{t.referrals.referredContracts}</th>
            <td>{t.referrals.count(k.referred_contracts)}</td>
            <td className="num">{t.app.yen(k.referred_amount_yen)}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}
