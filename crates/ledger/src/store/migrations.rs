//! Versioned schema migrations. Each file in migrations/ is one version;
//! append new files, never edit a released one.

use rusqlite_migration::{Migrations, M};

const STEPS: &[&str] = &[
    include_str!("../../migrations/001_init.sql"),
    include_str!("../../migrations/002_imports.sql"),
    include_str!("../../migrations/003_bulk_fts.sql"),
    include_str!("../../migrations/004_list_order.sql"),
    include_str!("../../migrations/005_segments_mailings.sql"),
    include_str!("../../migrations/006_export_templates.sql"),
    include_str!("../../migrations/007_followups.sql"),
    include_str!("../../migrations/008_foreign_key_indexes.sql"),
    include_str!("../../migrations/009_check_lists.sql"),
    include_str!("../../migrations/010_variant_search_keys.sql"),
    include_str!("../../migrations/011_customer_merges.sql"),
    include_str!("../../migrations/012_service_requests.sql"),
    include_str!("../../migrations/013_staff_access.sql"),
    include_str!("../../migrations/014_sync.sql"),
    include_str!("../../migrations/015_short_search.sql"),
    include_str!("../../migrations/016_today_indexes.sql"),
];

/// The steps that edit table definitions in place (009) end by bumping
/// schema_version, so that every connection reads the new definitions.
const EDITS_SCHEMA: &[usize] = &[9];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(steps().collect())
}

/// The steps that change the rules of `daicho_text::search_key` (010:
/// variant kanji) ask for every stored key to be recomputed.
const REKEYS_SEARCH: &[usize] = &[10];

fn steps() -> impl Iterator<Item = M<'static>> {
    STEPS.iter().enumerate().map(|(i, sql)| {
        let version = i + 1;
        if EDITS_SCHEMA.contains(&version) {
            M::up_with_hook(sql, bump_schema_version)
        } else if REKEYS_SEARCH.contains(&version) {
            M::up_with_hook(sql, rekey_search)
        } else {
            M::up(sql)
        }
    })
}

/// Asks for every customer's search key to be recomputed with today's
/// rules once the ledger is open (`record::search::rekey_asked`). Not
/// here: a hook reads customers through today's code, which may select a
/// column that a later migration has not added yet. The request goes into
/// `settings`: `local_settings`, where it belongs, comes only with 014,
/// which moves it there.
fn rekey_search(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let hook_error = |e: crate::LedgerError| rusqlite_migration::HookError::Hook(e.to_string());
    let key = crate::store::kv::Local::RekeySearch.key();
    crate::store::kv::put(tx, key, "1").map_err(hook_error)?;
    Ok(())
}

fn bump_schema_version(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    Ok(())
}

/// The schema version this binary writes.
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

/// Marks a SQLite file as a Daichō ledger ('DAIC'); set by the first migration.
pub const APPLICATION_ID: i64 = 0x4441_4943;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use rusqlite::Connection;

    use super::*;
    use crate::{store::backup, CustomerQuery, Ledger};

    #[test]
    fn migrations_are_valid() {
        // As `Migrations::validate`, on a connection with the functions the
        // triggers call (`configure`).
        let mut conn = Connection::open_in_memory().unwrap();
        crate::record::search::register_grams(&conn).unwrap();
        migrations().to_latest(&mut conn).unwrap();
    }

    /// One ledger file per schema version, written by that version's
    /// migrations with data in every table it had (tests/fixtures/ledgers).
    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/ledgers")
    }

    fn fixture(version: usize) -> PathBuf {
        fixtures().join(format!("v{version}.sqlite3"))
    }

    /// Writes the fixture of each version that has none yet; a fixture once
    /// committed is never rewritten, so it stays what that version wrote.
    /// After adding a migration (and `tests/fixtures/ledgers/data/NNN.sql`):
    /// `cargo test -p daicho-ledger -- --ignored write_missing_fixtures`.
    #[test]
    #[ignore]
    fn write_missing_fixtures() {
        for version in 1..=STEPS.len() {
            let path = fixture(version);
            if path.exists() {
                continue;
            }
            let mut conn = Connection::open(&path).unwrap();
            crate::record::search::register_grams(&conn).unwrap();
            Migrations::new(steps().take(version).collect())
                .to_latest(&mut conn)
                .unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            for step in 1..=version {
                let data = fixtures().join(format!("data/{step:03}.sql"));
                if let Ok(sql) = std::fs::read_to_string(&data) {
                    conn.execute_batch(&sql)
                        .unwrap_or_else(|e| panic!("{}: {e}", data.display()));
                }
            }
            // The data files write keys as their own version computed them.
            if REKEYS_SEARCH.iter().any(|&step| step <= version) {
                let tx = conn.transaction().unwrap();
                crate::record::search::rekey(&tx).unwrap();
                tx.commit().unwrap();
            }
            conn.execute_batch("VACUUM").unwrap();
        }
    }

    /// 009 rewrote the checks with value lists as comparisons: they still
    /// refuse what they refused, on this connection and on a new one.
    #[test]
    fn rewritten_checks_still_refuse_unknown_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("daicho.sqlite3");
        let ledger = Ledger::open(&path).unwrap();
        // Another of the app's connections (the triggers call its functions).
        let other = Connection::open(&path).unwrap();
        crate::record::search::register_grams(&other).unwrap();
        for conn in [ledger.conn(), &other] {
            let schema: String = conn
                .query_row(
                    "SELECT group_concat(sql) FROM sqlite_schema \
                     WHERE name IN ('customers', 'change_log', 'projects')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(!schema.contains("gender IN"), "{schema}");
            let refused = |sql: &str| {
                let e = conn.execute(sql, []).unwrap_err();
                assert!(
                    e.to_string().contains("CHECK constraint failed"),
                    "{sql}: {e}"
                );
            };
            let customer = |column: &str, value: &str| {
                format!(
                    "INSERT INTO customers \
                     (family_name, status_id, created_at, updated_at, {column}) \
                     VALUES ('a', 1, '', '', '{value}')"
                )
            };
            for (column, value) in [
                ("gender", "man"),
                ("build_timing", "soon"),
                ("land", "yes"),
                ("grade", "E"),
            ] {
                refused(&customer(column, value));
            }
            conn.execute(&customer("grade", "A"), []).unwrap();
            refused(
                "INSERT INTO change_log (changed_at, source, entity, entity_id, field) \
                 VALUES ('', 'robot', 'customer', 1, 'x')",
            );
            refused(
                "INSERT INTO projects (customer_id, kind, title, created_at, updated_at) \
                 VALUES (1, 'house', 't', '', '')",
            );
        }
    }

    fn row_counts(conn: &Connection) -> BTreeMap<String, i64> {
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_fts%' \
                 AND name NOT LIKE 'customer_grams%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables
            .into_iter()
            .map(|t| {
                let n = conn
                    .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                    .unwrap();
                (t, n)
            })
            .collect()
    }

    /// Every released schema version's ledger upgrades to the latest in
    /// place: backed up first, every row of every table kept, integrity
    /// intact, and search finding its customers.
    #[test]
    fn every_versions_ledger_upgrades_keeping_every_row() {
        for version in 1..=STEPS.len() {
            let source = fixture(version);
            assert!(
                source.exists(),
                "no fixture for schema version {version}: \
                 run `cargo test -p daicho-ledger -- --ignored write_missing_fixtures`"
            );
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("daicho.sqlite3");
            std::fs::copy(&source, &path).unwrap();
            let before = row_counts(&Connection::open(&path).unwrap());

            let ledger = Ledger::open(&path).unwrap();
            let conn = ledger.conn();
            let upgraded: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(upgraded, LATEST_VERSION, "v{version}");
            let integrity: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(integrity, "ok", "v{version}");
            let after = row_counts(conn);
            for (table, rows) in &before {
                assert_eq!(after.get(table), Some(rows), "v{version}: rows of {table}");
            }
            let found = |text: &str| {
                ledger
                    .list_customers(
                        &CustomerQuery {
                            text: text.into(),
                            ..Default::default()
                        },
                        crate::store::calendar::local_today(),
                    )
                    .unwrap()
                    .total
            };
            assert_eq!(found(""), 3, "v{version}: the customers outside the trash");
            assert_eq!(found("ヤマダタロウ"), 1, "v{version}: trigram search");
            assert_eq!(found("髙橋"), 1, "v{version}: short search");
            assert_eq!(found("高橋"), 1, "v{version}: variant kanji (010)");
            assert_eq!(found("高橋花子"), 1, "v{version}: variant kanji, trigram");
            let customer = ledger.customer(1).unwrap();
            assert_eq!(customer.fields.address2, "パークハイツ201");
            assert_eq!(customer.members.len(), 2);
            if version < STEPS.len() {
                let backups = backup::list(&path).unwrap();
                assert!(
                    backups
                        .iter()
                        .any(|b| b.file_name.contains(&format!("before-v{version}-upgrade"))),
                    "v{version}: {backups:?}"
                );
            }
        }
    }
}
