//! The customer ledger: a local SQLite file holding customers, their
//! statuses, labels, households and the history of every change.
//!
//! `Ledger` is the one entry point; each module owns its tables and the SQL
//! that touches them. The modules are grouped by what they are, and a group
//! uses only the groups before it:
//! store ← reference ← record ← follow-ups and import ← selection, views and
//! whole-customer acts (duplicates, merge, erasure, disclosure).
//! Callers use the types re-exported here (`daicho_ledger::Customer`).

pub mod followups;
pub mod import;
mod open;
pub mod record;
pub mod reference;
pub mod sample;
pub mod selection;
pub mod store;
pub mod sync;
pub mod views;
pub mod whole_customer;

pub use followups::{campaigns, contacts, projects, referrals, requests, tasks};
pub use record::{changelog, completeness, customers, fields, household};
pub use reference::{export_log, labels, presets, settings, sign_in, staff, statuses};
pub use selection::{dm, query, segments};
pub use store::{access, backup, ids, location};
pub use views::{dashboard, stats, today};
pub use whole_customer::{disclose, duplicates, erase, merge};

pub use record::changelog::{HistoryEntry, HistoryKind};
pub use record::columns::{ColumnKind, CustomerColumn, ImportRule};
pub use record::customers::{Customer, CustomerFields, CUSTOMER_COLUMNS};
pub use record::fields::{BuildTiming, Gender, Grade, Honorific, Land, ProjectKind};
pub use record::household::HouseholdMember;
pub use reference::export_log::{ExportEntry, ExportKind, ExportNote};
pub use reference::labels::{Label, LabelInput};
pub use reference::presets::Preset;
pub use reference::settings::{FollowUpSettings, GradeRhythm, Settings};
pub use reference::sign_in::{AccessRule, AccessSettings, SessionInfo};
pub use reference::staff::{Staff, StaffInput};
pub use reference::statuses::{Stage, Status, StatusInput};
pub use selection::query::{CustomerPage, CustomerQuery, CustomerRow, SortKey, TextPath};
pub use store::access::{Acting, Need, Policy, Role};
pub use store::error::{Coded, ErrorCode, FieldError, LedgerError, Result};
pub use store::ledger::{
    create_private, default_ledger_path, now, Actor, Ledger, Source, APP_IDENTIFIER,
    LEDGER_FILE_NAME,
};
pub use store::migrations::{APPLICATION_ID, LATEST_VERSION};
pub use views::stats::{LedgerStats, StatusCount};
