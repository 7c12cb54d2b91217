//! The store: opening the file, the one write path, migrations, backups,
//! where the file may live, errors and the SQL helpers every table uses.

pub mod access;
pub mod backup;
pub(crate) mod calendar;
pub(crate) mod error;
pub mod ids;
pub(crate) mod kv;
pub(crate) mod ledger;
pub mod location;
pub(crate) mod migrations;
pub(crate) mod sql;
