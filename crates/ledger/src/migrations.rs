//! Versioned schema migrations. Each file in migrations/ is one version;
//! append new files, never edit a released one.

use rusqlite_migration::{Migrations, M};

const STEPS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_imports.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this binary writes.
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

/// Marks a SQLite file as a Daichō ledger ('DAIC'); set by the first migration.
pub const APPLICATION_ID: i64 = 0x4441_4943;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
