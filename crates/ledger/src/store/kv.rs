//! The `settings` table as keys and values: the store's own facts (the
//! second place for backups, the search index's bulk mode) and the office
//! settings that `reference::settings` types.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::store::error::Result;

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn put(tx: &Transaction, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
