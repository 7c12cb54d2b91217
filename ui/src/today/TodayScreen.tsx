import type { TodayKind } from "../shared/api";
import type { DetailTab } from "../customers/CustomerDetail";
import { useToday } from "./use-today";
import { t } from "../i18n";
import { SecondPlaceWarning } from "../settings/SecondPlace";
import { useLedger } from "../shared/ledger-context";

/** The customer's tab an item is about: a request opens on アフター. */
const tabFor = (kind: TodayKind): DetailTab | undefined => (kind === "request_overdue" || kind === "request_mine" ? "requests" : undefined);

/** The home screen: everyone who needs the office today. */
export function TodayScreen({ onOpen }: { onOpen: (customerId: number, tab?: DetailTab) => void }) {
  const { today, error, complete } = useToday();
  // Ticking a task off is a change to the customer's follow-up.
  const canComplete = useLedger().may("customers");

  if (error)
    return (
      <div className="screen">
        <p className="error">{error}</p>
      </div>
    );
  if (!today) return <div className="screen muted">{t.app.loading}</div>;
  return (
    <div className="screen today" data-testid="today-screen">
      <h2>
        {t.today.title} <span className="muted small">{today.on}</span>
      </h2>
      <SecondPlaceWarning />
      <div className="today-grid">
        {today.sections.map((section) => (
          <section key={section.kind} className="card" data-testid={`today-${section.kind}`}>
            <h3>
              {t.today.sections[section.kind]}{" "}
              <span className="count" data-testid={`today-${section.kind}-count`}>
                {section.total}
              </span>
            </h3>
            <p className="muted small">{t.today.hints[section.kind]}</p>
            {section.items.length === 0 ? (
              <p className="muted">{t.today.empty}</p>
            ) : (
              <ul className="today-items">
                {section.items.map((item, i) => (
                  <li key={`${item.customer_id}-${item.task_id ?? i}`}>
                    <button
                      className="link"
                      onClick={() => onOpen(item.customer_id, tabFor(item.kind))}
                      data-testid={`today-open-${item.customer_id}`}
                    >
                      {item.customer_name}
                    </button>
                    <span className="muted small">{item.date}</span>
                    <span className="detail-text">{item.detail}</span>
                    {item.task_id !== null && canComplete && (
                      <button className="small-button" onClick={() => void complete(item)} data-testid={`task-done-${item.task_id}`}>
                        {t.today.done}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {section.total > section.items.length && <p className="muted small">{t.today.more(section.total - section.items.length)}</p>}
          </section>
        ))}
      </div>
    </div>
  );
}
