//! Who may do what (個人情報保護法 Art. 23: access control and knowing who
//! accessed). Four roles; each thing the ledger lets a person do is a
//! `Need`, and `GRANTS` says once which roles have it. The check sits in the
//! one write path (`Ledger::write` names the need of every write) and in
//! `Ledger::require`, which an export calls before it writes its file, so
//! the app, the CLI and (later) sync obey the same table.

use serde::{Deserialize, Serialize};

use crate::store::error::LedgerError;

/// A staff member's role (権限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理者: settings, staff, restore, erasure, disclosure, every export.
    Admin,
    /// 営業: customers, contacts, projects, requests.
    Sales,
    /// 事務: imports, DM exports, requests.
    Office,
    /// 閲覧のみ: reads, never writes.
    ReadOnly,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Sales, Role::Office, Role::ReadOnly];

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "管理者",
            Self::Sales => "営業",
            Self::Office => "事務",
            Self::ReadOnly => "閲覧のみ",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Sales => "sales",
            Self::Office => "office",
            Self::ReadOnly => "read_only",
        }
    }

    /// The stored form or the Japanese label (the CLI takes either).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.label() == s)
    }
}

/// What a person asks the ledger to do, as the roles are granted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Customers, their contacts, projects, tasks, labels, merges.
    Customers,
    /// After-care requests and the visits logged on them.
    Requests,
    /// Saved searches, lists and campaigns.
    Segments,
    /// Rosters in, and undoing an import.
    Import,
    /// Files with customer data out: DM lists, reports, partner sheets.
    Export,
    /// Statuses, labels, lists, follow-up rules, the office's settings.
    Settings,
    /// Staff, their roles and PINs, sign-in.
    Staff,
    /// Backups copied out, the second place, restoring.
    Backup,
    /// Erasing a person (Art. 35).
    Erase,
    /// Handing a person their record (Art. 33).
    Disclose,
}

impl Need {
    pub const ALL: [Need; 10] = [
        Need::Customers,
        Need::Requests,
        Need::Segments,
        Need::Import,
        Need::Export,
        Need::Settings,
        Need::Staff,
        Need::Backup,
        Need::Erase,
        Need::Disclose,
    ];

    /// The action as a refusal names it.
    pub fn action(self) -> &'static str {
        match self {
            Self::Customers => "顧客・商談・対応履歴の変更",
            Self::Requests => "アフター対応の記録",
            Self::Segments => "セグメント・リストの保存",
            Self::Import => "名簿の取り込み",
            Self::Export => "顧客データの書き出し",
            Self::Settings => "設定の変更",
            Self::Staff => "担当者と権限の変更",
            Self::Backup => "バックアップの書き出しと復元",
            Self::Erase => "個人情報の消去",
            Self::Disclose => "個人情報の開示",
        }
    }
}

use Need as N;
use Role::{Admin, Office, Sales};

/// Which roles have each need. 営業's exports also depend on the office's
/// choice (`Policy::sales_may_export`); 閲覧のみ has none.
const GRANTS: [(Need, &[Role]); 10] = [
    (N::Customers, &[Admin, Sales]),
    (N::Requests, &[Admin, Sales, Office]),
    (N::Segments, &[Admin, Sales, Office]),
    (N::Import, &[Admin, Office]),
    (N::Export, &[Admin, Office, Sales]),
    (N::Settings, &[Admin]),
    (N::Staff, &[Admin]),
    (N::Backup, &[Admin]),
    (N::Erase, &[Admin]),
    (N::Disclose, &[Admin]),
];

/// The office's choices that widen or narrow the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Policy {
    /// 営業 may export the lists they can see.
    pub sales_may_export: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            sales_may_export: true,
        }
    }
}

/// The roles that have `need` under `policy`.
pub fn roles_with(need: Need, policy: Policy) -> Vec<Role> {
    let granted = GRANTS
        .iter()
        .find(|(n, _)| *n == need)
        .map_or(&[][..], |(_, roles)| *roles);
    // In the roles' own order, so every message and table reads alike.
    Role::ALL
        .into_iter()
        .filter(|r| granted.contains(r))
        .filter(|r| !(*r == Sales && need == N::Export && !policy.sales_may_export))
        .collect()
}

pub fn may(role: Role, need: Need, policy: Policy) -> bool {
    roles_with(need, policy).contains(&role)
}

/// The person a connection acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Acting {
    /// None only in a ledger with no staff yet: the office itself, 管理者.
    pub staff_id: Option<i64>,
    pub name: String,
    pub role: Role,
}

impl Acting {
    /// A ledger without staff acts as the office: one person, every right,
    /// as before roles existed.
    pub fn office() -> Self {
        Self {
            staff_id: None,
            name: "事務所".to_string(),
            role: Admin,
        }
    }

    /// The refusal of `action` to this person, naming the roles that may.
    pub(crate) fn refused(&self, action: &'static str, allowed: &[Role]) -> LedgerError {
        LedgerError::NotPermitted {
            action,
            name: self.name.clone(),
            role: self.role.label(),
            allowed: allowed
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("・"),
        }
    }
}

/// Who this connection acts for, or nobody: sign-in is on and no one has
/// signed in, or the app locked after the idle time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Session {
    SignedOut,
    Acting(Acting, Policy),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_has_one_grant_and_admin_has_all() {
        for need in Need::ALL {
            assert_eq!(GRANTS.iter().filter(|(n, _)| *n == need).count(), 1);
            assert!(may(Admin, need, Policy::default()), "{need:?}");
            assert!(!may(Role::ReadOnly, need, Policy::default()), "{need:?}");
        }
    }

    #[test]
    fn sales_exports_only_when_the_office_allows() {
        let closed = Policy {
            sales_may_export: false,
        };
        assert!(may(Sales, N::Export, Policy::default()));
        assert!(!may(Sales, N::Export, closed));
        assert!(may(Office, N::Export, closed));
        assert!(!may(Sales, N::Import, Policy::default()));
        assert!(!may(Office, N::Customers, Policy::default()));
    }

    #[test]
    fn roles_read_back_from_either_spelling() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(Role::parse(role.label()), Some(role));
        }
        assert_eq!(Role::parse("社長"), None);
    }
}
