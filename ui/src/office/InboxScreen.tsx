import { useState } from "react";
import type { ConflictCard } from "../shared/api";
import { NotPermitted } from "../shared/NotPermitted";
import { cardKind, formatStamp, sideWho, valueText } from "./inbox";
import { useInbox } from "./use-inbox";
import { t } from "../i18n";

const i = t.office.inbox;
type Names = ReturnType<typeof useInbox>["names"];
type Settling = ReturnType<typeof useInbox>["settle"];

/** 「確認が必要な変更」: one card per record and field edited on two PCs at
 *  once, and one line per sticky field kept on. */
export function InboxScreen({ onOpen }: { onOpen: (customerId: number) => void }) {
  const inbox = useInbox();
  if (!inbox.loaded) return <div className="screen muted">{inbox.error ?? t.app.loading}</div>;
  return (
    <div className="screen inbox" data-testid="inbox-screen">
      <h2>{i.title}</h2>
      <p className="muted">{i.lead}</p>
      {inbox.error && (
        <p className="error" data-testid="inbox-error">
          {inbox.error}
        </p>
      )}
      {!inbox.mayResolve && <NotPermitted need="customers" />}
      {inbox.notices.length > 0 && (
        <section className="inbox-notices" aria-label={i.notices}>
          <h3>{i.notices}</h3>
          <ul>
            {inbox.notices.map((n) => (
              <li key={n.id} data-testid={`notice-${n.id}`}>
                <span>{i.sticky(n.customer_name || i.noCustomer, n.field_label, formatStamp(n.at))}</span>
                {inbox.mayResolve && (
                  <button className="small-button" disabled={inbox.busy} onClick={() => void inbox.settle(n.id, { take: "keep" })}>
                    {i.acknowledge}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {inbox.cards.length === 0 ? (
        <p className="muted" data-testid="inbox-empty">
          {i.empty}
        </p>
      ) : (
        <div className="inbox-cards">
          {inbox.cards.map((card) => (
            <CardView
              key={card.id}
              card={card}
              names={inbox.names}
              busy={inbox.busy}
              mayResolve={inbox.mayResolve}
              settle={inbox.settle}
              onOpen={onOpen}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function CardView({
  card,
  names,
  busy,
  mayResolve,
  settle,
  onOpen,
}: {
  card: ConflictCard;
  names: Names;
  busy: boolean;
  mayResolve: boolean;
  settle: Settling;
  onOpen: (customerId: number) => void;
}) {
  const kind = cardKind(card);
  const value = (v: string | null) => valueText(card, v, names);
  const titleId = `conflict-title-${card.id}`;
  return (
    <article className={`card conflict-card ${kind}`} aria-labelledby={titleId} data-testid={`conflict-${card.id}`}>
      <h3 id={titleId}>
        {card.customer_id !== null && card.customer_name ? (
          <button className="link" onClick={() => onOpen(card.customer_id!)} data-testid={`conflict-open-${card.id}`}>
            {card.customer_name}
          </button>
        ) : (
          <span>{card.customer_name || i.noCustomer}</span>
        )}
        <span className="conflict-field">{card.field_label}</span>
        <span className="muted small">{formatStamp(card.at)}</span>
      </h3>
      <dl className="conflict-values">
        <Value label={i.base} text={value(card.base)} />
        <Value label={i.a} text={value(card.a.value)} who={sideWho(card.a)} testId={`conflict-a-${card.id}`} />
        <Value label={i.b} text={value(card.b.value)} who={sideWho(card.b)} testId={`conflict-b-${card.id}`} />
        {kind !== "rejected" && <Value label={i.now} text={value(card.now)} testId={`conflict-now-${card.id}`} strong />}
      </dl>
      {kind === "rejected" && <p className="banner warn">{i.rejected}</p>}
      {kind === "other" && <p className="muted small">{i.otherTable}</p>}
      {card.kept === "both" && <p className="muted small">{i.bothNote}</p>}
      {mayResolve && <Actions card={card} kind={kind} busy={busy} settle={settle} />}
    </article>
  );
}

function Value({ label, text, who, testId, strong }: { label: string; text: string; who?: string; testId?: string; strong?: boolean }) {
  return (
    <div className={strong ? "now" : undefined} data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <span className="conflict-value">{text}</span>
        {who && <small className="muted">{who}</small>}
      </dd>
    </div>
  );
}

/** Aを採用・Bを採用・編集して確定 (an input with the value now; Enter
 *  confirms, Esc goes back), or 確認した where there is nothing to choose. */
function Actions({ card, kind, busy, settle }: { card: ConflictCard; kind: ReturnType<typeof cardKind>; busy: boolean; settle: Settling }) {
  const [editing, setEditing] = useState<string | null>(null);
  const id = card.id;
  if (kind !== "choose") {
    return (
      <div className="add-row">
        <button disabled={busy} onClick={() => void settle(id, { take: "keep" })} data-testid={`conflict-ack-${id}`}>
          {i.acknowledge}
        </button>
      </div>
    );
  }
  if (editing !== null) {
    return (
      <form
        className="add-row"
        onSubmit={(e) => {
          e.preventDefault();
          void settle(id, { take: "value", value: editing }).then((done) => done && setEditing(null));
        }}
        onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
      >
        <input
          autoFocus
          aria-label={card.field_label}
          value={editing}
          onChange={(e) => setEditing(e.target.value)}
          data-testid={`conflict-value-${id}`}
        />
        <button className="primary" type="submit" disabled={busy} data-testid={`conflict-confirm-${id}`}>
          {i.confirm}
        </button>
        <button type="button" onClick={() => setEditing(null)}>
          {i.cancel}
        </button>
      </form>
    );
  }
  return (
    <div className="add-row">
      <button disabled={busy} onClick={() => void settle(id, { take: "a" })} data-testid={`conflict-take-a-${id}`}>
        {i.takeA}
      </button>
      <button disabled={busy} onClick={() => void settle(id, { take: "b" })} data-testid={`conflict-take-b-${id}`}>
        {i.takeB}
      </button>
      {card.kept === "both" && (
        <button disabled={busy} onClick={() => void settle(id, { take: "keep" })} data-testid={`conflict-keep-${id}`}>
          {i.keepBoth}
        </button>
      )}
      <button disabled={busy} onClick={() => setEditing(card.now ?? "")} data-testid={`conflict-edit-${id}`}>
        {i.edit}
      </button>
    </div>
  );
}
