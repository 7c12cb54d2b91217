import { CampaignsTab, FollowUpTab } from "./FollowUpSettings";
import { StatusesTab } from "./StatusesTab";
import { LabelsTab } from "./ListTabs";
import { StaffTab } from "./StaffTab";
import { AccessTab } from "./AccessTab";
import { ExportLogTab } from "./ExportLogTab";
import { GeneralTab } from "./GeneralTab";
import { BackupsTab } from "./BackupsTab";
import { useSettingsScreen } from "./use-settings-screen";
import { AfterCareTab } from "./AfterCareTab";
import { OfficeTab } from "../office/OfficeTab";
import { t } from "../i18n";

export function SettingsScreen({ ledgerPath }: { ledgerPath: string }) {
  const { tabs, tab, setTab, notes } = useSettingsScreen();
  return (
    <div className="settings" data-testid="settings">
      <nav className="settings-nav">
        <h2>{t.settings.title}</h2>
        {tabs.map((k) => (
          <button key={k} className={tab === k ? "side-item active" : "side-item"} onClick={() => setTab(k)} data-testid={`settings-${k}`}>
            {t.settings.tabs[k]}
          </button>
        ))}
        {notes.length > 0 && (
          <div className="muted small not-permitted" data-testid="settings-hidden">
            {notes.map((note) => (
              <p key={note}>{note}</p>
            ))}
          </div>
        )}
      </nav>
      <div className="settings-body">
        {tab === "statuses" && <StatusesTab />}
        {tab === "labels" && <LabelsTab />}
        {tab === "staff" && <StaffTab />}
        {tab === "access" && <AccessTab />}
        {tab === "general" && <GeneralTab ledgerPath={ledgerPath} />}
        {tab === "followUp" && <FollowUpTab />}
        {tab === "campaigns" && <CampaignsTab />}
        {tab === "afterCare" && <AfterCareTab />}
        {tab === "office" && <OfficeTab />}
        {tab === "backups" && <BackupsTab />}
        {tab === "exports" && <ExportLogTab />}
      </div>
    </div>
  );
}
