// Settings: the tabs the person acting sees, the one open, and what the
// hidden ones are for and who may change them.
import { useState } from "react";
import { useLedger } from "../shared/ledger-context";
import { hiddenTabNotes, visibleTabs, type SettingsTab } from "./tabs";

export function useSettingsScreen() {
  const { may, rules } = useLedger();
  const tabs = visibleTabs(may);
  const [chosen, setTab] = useState<SettingsTab>(tabs[0]);
  // A tab chosen before a switch to someone who may not see it gives way.
  const tab = tabs.includes(chosen) ? chosen : tabs[0];
  return { tabs, tab, setTab, notes: hiddenTabNotes(rules, may) };
}
