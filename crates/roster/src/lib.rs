//! Old rosters into the ledger: reading .xlsx/.xls/.ods/.csv files, finding
//! the table, mapping columns, normalizing every value by the Japanese text
//! rules, and merging the same person written twice. The result is an
//! `ImportPlan` the ledger can preview and commit.

mod bounds;
pub mod columns;
mod error;
mod household;
mod import_error;
mod kept;
pub mod normalize;
pub mod plan;
pub mod read;
pub mod report;
pub mod session;
pub mod status_map;

pub use columns::Field;
pub use error::RosterError;
pub use import_error::ImportError;
pub use kept::PlanCache;
pub use normalize::CellWarning;
pub use plan::{plan, plan_file, PlanOptions, RosterPlan, SavedChoices, SkippedRow, StatusValue};
pub use read::{read, Workbook};
