//! The customer ledger: a local SQLite file holding customers, their
//! statuses, labels, households and the history of every change.
//!
//! `Ledger` is the one entry point; each module below owns its tables and
//! the SQL that touches them.

pub mod backup;
pub mod campaigns;
pub mod changelog;
pub mod completeness;
pub mod contacts;
pub mod customers;
pub mod dashboard;
pub mod disclose;
pub mod dm;
pub mod duplicates;
pub mod erase;
mod error;
pub mod fields;
pub mod household;
pub mod import;
pub mod labels;
mod ledger;
pub mod location;
pub mod merge;
mod migrations;
pub mod presets;
pub mod projects;
pub mod query;
pub mod referrals;
pub mod sample;
pub mod segments;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod statuses;
pub mod tasks;
pub mod today;
mod validate;

pub use changelog::{HistoryEntry, HistoryKind};
pub use customers::{Customer, CustomerFields};
pub use error::{FieldError, LedgerError, Result};
pub use fields::{BuildTiming, Gender, Grade, Honorific, Land, ProjectKind};
pub use household::HouseholdMember;
pub use labels::{Label, LabelInput};
pub use ledger::{
    create_private, default_ledger_path, now, Actor, Ledger, Source, APP_IDENTIFIER,
    LEDGER_FILE_NAME,
};
pub use migrations::{APPLICATION_ID, LATEST_VERSION};
pub use presets::Preset;
pub use query::{CustomerPage, CustomerQuery, CustomerRow, SortKey, TextPath};
pub use settings::{FollowUpSettings, GradeRhythm, Settings};
pub use staff::{Staff, StaffInput};
pub use stats::{LedgerStats, StatusCount};
pub use statuses::{Stage, Status, StatusInput};
