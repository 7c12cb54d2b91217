//! Views over the ledger: Today, the dashboard, statistics.

pub mod dashboard;
pub mod requests;
pub mod stats;
pub mod today;
