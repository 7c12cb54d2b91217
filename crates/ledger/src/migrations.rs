//! Versioned schema migrations. Each file in migrations/ is one version;
//! append new files, never edit a released one.

use rusqlite_migration::{Migrations, M};

const STEPS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_imports.sql"),
    include_str!("../migrations/003_bulk_fts.sql"),
    include_str!("../migrations/004_list_order.sql"),
    include_str!("../migrations/005_segments_mailings.sql"),
    include_str!("../migrations/006_export_templates.sql"),
    include_str!("../migrations/007_followups.sql"),
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
    use super::*;
    use crate::{backup, CustomerQuery, Ledger};

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// A ledger written by the first release is upgraded in place: backed up
    /// first, every row kept, search still finding it.
    #[test]
    fn a_version_1_ledger_upgrades_to_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("daicho.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            Migrations::new(vec![M::up(STEPS[0])])
                .to_latest(&mut conn)
                .unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO statuses (id, name, stage, position) VALUES (1, '商談中', 'negotiation', 1);
                 INSERT INTO customers (family_name, status_id, created_at, updated_at, search_key)
                 VALUES ('古川', 1, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 'フルカワ');",
            )
            .unwrap();
        }
        let ledger = Ledger::open(&path).unwrap();
        let version: i64 = ledger
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST_VERSION);
        let found = ledger
            .list_customers(&CustomerQuery {
                text: "フルカワ".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(found.total, 1);
        let integrity: String = ledger
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let backups = backup::list(&path).unwrap();
        assert!(
            backups
                .iter()
                .any(|b| b.file_name.contains("before-v1-upgrade")),
            "{backups:?}"
        );
    }
}
