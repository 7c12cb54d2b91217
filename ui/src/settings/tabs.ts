// Which Settings tabs a role sees. A tab whose every control needs a right
// the person lacks is hidden, and one line per right says who may; the
// staff, access and export-record tabs stay, read-only where they must (one
// sets one's own PIN there, and reads who may do what).
import type { AccessRule, Need } from "../shared/api";
import { rolesWith } from "../shared/access";
import { t } from "../i18n";

export type SettingsTab = keyof typeof t.settings.tabs;

export const TAB_NEEDS: Record<SettingsTab, Need | null> = {
  statuses: "settings",
  labels: "settings",
  staff: null,
  access: null,
  followUp: "settings",
  campaigns: "segments",
  afterCare: "settings",
  general: "settings",
  office: "settings",
  backups: "backup",
  exports: null,
};

const TABS = Object.keys(t.settings.tabs) as SettingsTab[];

export function visibleTabs(may: (need: Need) => boolean): SettingsTab[] {
  return TABS.filter((tab) => {
    const need = TAB_NEEDS[tab];
    return need === null || may(need);
  });
}

/** 「設定の変更（ステータス・ラベル…）は管理者ができます。」 for each right that hides tabs. */
export function hiddenTabNotes(rules: AccessRule[], may: (need: Need) => boolean): string[] {
  const hidden = new Map<Need, string[]>();
  for (const tab of TABS) {
    const need = TAB_NEEDS[tab];
    if (need !== null && !may(need)) hidden.set(need, [...(hidden.get(need) ?? []), t.settings.tabs[tab]]);
  }
  return [...hidden].flatMap(([need, tabs]) => {
    const rule = rules.find((r) => r.need === need);
    return rule ? [t.access.hiddenTabs(rule.action, tabs, rolesWith(rules, need))] : [];
  });
}
