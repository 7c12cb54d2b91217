// What the UI says where it hides something a role may not do: the action
// and the roles that may, both from the ledger's one table (accessRules).
import type { AccessRule, Need, Role } from "./api";
import { t } from "../i18n";

/** The roles that may do `need`, as the office reads them (管理者・事務). */
export function rolesWith(rules: AccessRule[], need: Need): string[] {
  return (rules.find((r) => r.need === need)?.roles ?? []).map((r: Role) => t.roles[r]);
}

/** 「顧客データの書き出しは管理者・事務ができます。」, or null before the table is read. */
export function notPermittedText(rules: AccessRule[], need: Need): string | null {
  const rule = rules.find((r) => r.need === need);
  return rule ? t.access.notPermitted(rule.action, rolesWith(rules, need)) : null;
}
