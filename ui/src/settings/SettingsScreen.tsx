import { useState } from "react";
import { CampaignsTab, FollowUpTab } from "./FollowUpSettings";
import { StatusesTab } from "./StatusesTab";
import { LabelsTab, StaffTab } from "./ListTabs";
import { GeneralTab } from "./GeneralTab";
import { BackupsTab } from "./BackupsTab";
import { t } from "../i18n";

type Tab = keyof typeof t.settings.tabs;

export function SettingsScreen({ ledgerPath }: { ledgerPath: string }) {
  const [tab, setTab] = useState<Tab>("statuses");
  return (
    <div className="settings" data-testid="settings">
      <nav className="settings-nav">
        <h2>{t.settings.title}</h2>
        {(Object.keys(t.settings.tabs) as Tab[]).map((k) => (
          <button key={k} className={tab === k ? "side-item active" : "side-item"} onClick={() => setTab(k)} data-testid={`settings-${k}`}>
            {t.settings.tabs[k]}
          </button>
        ))}
      </nav>
      <div className="settings-body">
        {tab === "statuses" && <StatusesTab />}
        {tab === "labels" && <LabelsTab />}
        {tab === "staff" && <StaffTab />}
        {tab === "general" && <GeneralTab ledgerPath={ledgerPath} />}
        {tab === "followUp" && <FollowUpTab />}
        {tab === "campaigns" && <CampaignsTab />}
        {tab === "backups" && <BackupsTab />}
      </div>
    </div>
  );
}
