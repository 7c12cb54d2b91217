import type { CustomerFields } from "../shared/api";
import { fullKana, fullName } from "../shared/format";
import { CustomerForm, blankFields } from "./CustomerForm";
import { HouseholdTab } from "./HouseholdTab";
import { HistoryTab } from "./HistoryTab";
import { LabelEditor } from "./LabelEditor";
import { StatusChanger } from "./StatusChanger";
import { ContactsTab } from "./ContactsTab";
import { ProjectsTab } from "./ProjectsTab";
import { RequestsTab } from "./RequestsTab";
import { ReferralsTab } from "./ReferralsTab";
import { PrivacyActions } from "./PrivacyActions";
import { useCustomerDetail } from "./use-customer-detail";
import { ConflictMarks, useConflictedFields } from "../office/conflict-marks";
import { useLedger } from "../shared/ledger-context";
import { NotPermitted } from "../shared/NotPermitted";
import { useState, type ReactNode } from "react";
import { t } from "../i18n";

export type DetailTab = "info" | "contacts" | "projects" | "requests" | "referrals" | "household" | "history";

/** The right-hand panel: one customer's record, or the form for a new one. */
export function CustomerDetail({
  id,
  onCreated,
  onClose,
  onOpen,
  onInbox,
  initialTab = "info",
}: {
  id: number | null;
  onCreated: (id: number) => void;
  onClose: () => void;
  onOpen: (id: number) => void;
  /** Opens 「確認が必要な変更」 (the ⚠ beside a field edited on two PCs). */
  onInbox: () => void;
  initialTab?: DetailTab;
}) {
  const { reload, may } = useLedger();
  const editable = may("customers");
  const d = useCustomerDetail(id, onCreated);
  const { customer, error, save, changed, privacy, historyRevision } = d;
  const [tab, setTab] = useState<DetailTab>(initialTab);
  const conflicts = useConflictedFields(id);

  async function erased() {
    await reload();
    onClose();
  }

  if (id === null) return <NewCustomer save={save} onClose={onClose} />;
  if (!customer) return <section className="detail">{error ? <p className="error">{error}</p> : t.app.loading}</section>;

  const f = customer.fields;
  return (
    <section className="detail" data-testid="detail">
      <div className="detail-head">
        <div>
          <div className="muted small" data-testid="detail-kana">
            {fullKana(f)}
          </div>
          <h2 data-testid="detail-name">
            {fullName(f)}
            {f.company && <span className="company"> {f.company}</span>}
            <span className="honorific"> {f.honorific}</span>
          </h2>
        </div>
        <button className="ghost" onClick={onClose} aria-label={t.detail.cancel}>
          ✕
        </button>
      </div>
      {customer.deleted_at && <div className="banner warn">{t.detail.trashed}</div>}
      <StatusChanger customer={customer} onChanged={changed} />
      <LabelEditor customer={customer} onChanged={changed} />
      <div className="tabs">
        {(Object.keys(t.detail.tabs) as DetailTab[])
          // The family is shown only to the roles that see it (the ledger leaves it out).
          .filter((k) => k !== "household" || !customer.sensitive_hidden)
          .map((k) => (
            <button key={k} className={tab === k ? "tab active" : "tab"} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
              {t.detail.tabs[k]}
            </button>
          ))}
      </div>
      <div className="detail-body">
        {error && <p className="error">{error}</p>}
        {conflicts.error && <p className="error">{conflicts.error}</p>}
        {tab === "info" && (
          <ReadOnlyUnless editable={editable}>
            <ConflictMarks fields={conflicts.fields} onInbox={onInbox}>
              <CustomerForm key={customer.updated_at} initial={f} submitLabel={t.detail.save} onSave={save} />
            </ConflictMarks>
          </ReadOnlyUnless>
        )}
        {tab === "contacts" && <ContactsTab customerId={customer.id} onChanged={d.historyChanged} onRequest={() => setTab("requests")} />}
        {tab === "projects" && (
          <ReadOnlyUnless editable={editable}>
            <ProjectsTab customer={customer} onChanged={changed} />
          </ReadOnlyUnless>
        )}
        {tab === "requests" && <RequestsTab customerId={customer.id} onChanged={d.historyChanged} />}
        {tab === "referrals" && <ReferralsTab customer={customer} onChanged={changed} onOpen={onOpen} />}
        {tab === "household" && (
          <ReadOnlyUnless editable={editable}>
            <HouseholdTab customer={customer} onChanged={changed} />
          </ReadOnlyUnless>
        )}
        {tab === "history" && <HistoryTab id={customer.id} revision={historyRevision} />}
        <div className="danger-zone">
          {editable && (
            <button onClick={() => void d.toggleTrash()} data-testid="trash-toggle">
              {customer.deleted_at ? t.detail.restore : t.detail.trash}
            </button>
          )}
          <PrivacyActions privacy={privacy} name={fullName(f)} onErased={() => void erased()} />
        </div>
      </div>
    </section>
  );
}

/** For the roles that may not change customers: the tab shown whole, its
 *  fields and buttons disabled, and a line saying who may. */
function ReadOnlyUnless({ editable, children }: { editable: boolean; children: ReactNode }) {
  return (
    <fieldset className="bare" disabled={!editable}>
      {!editable && <NotPermitted need="customers" />}
      {children}
    </fieldset>
  );
}

function NewCustomer({ save, onClose }: { save: (fields: CustomerFields) => Promise<Record<string, string>>; onClose: () => void }) {
  return (
    <section className="detail" data-testid="detail-new">
      <div className="detail-head">
        <h2>{t.detail.creating}</h2>
        <button className="ghost" onClick={onClose}>
          ✕
        </button>
      </div>
      <div className="detail-body">
        <CustomerForm initial={blankFields()} submitLabel={t.detail.create} onSave={save} />
      </div>
    </section>
  );
}
