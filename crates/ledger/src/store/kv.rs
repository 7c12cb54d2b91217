//! The two tables of keys and values. `settings` holds the office's choices
//! (typed by `reference::settings`) and goes to every PC of the office;
//! `local_settings` (migration 014) holds what is this PC's own and never
//! leaves it. Which keys are this PC's own is declared once, in `Local`.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::store::error::Result;
use crate::store::ids;

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

/// This PC's own keys: what another PC of the office must not take over
/// when the ledger's changes travel between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Local {
    /// The staff member chosen on this PC while sign-in is off.
    CurrentStaff,
    /// The folder on another disk that gets a copy of every backup.
    SecondPlace,
    /// A migration asked for every search key to be recomputed (010).
    RekeySearch,
    /// The search index's triggers stand aside during a bulk write on this
    /// PC (003; the triggers of 014 read it from `local_settings`).
    FtsBulk,
    /// This PC's number in the office, which its new ids carry (`ids`).
    SyncDevice,
    /// This PC's hub: where it answers, its pinned certificate, this PC's
    /// token (`sync::spoke::Joined`, as JSON).
    SyncHub,
    /// The last entry of the hub's log applied here.
    SyncCursor,
    /// This PC's printers and how far each prints off (mm), as JSON.
    Printers,
}

impl Local {
    pub(crate) const fn key(self) -> &'static str {
        match self {
            Self::CurrentStaff => "current_staff_id",
            Self::SecondPlace => "second_place",
            Self::RekeySearch => "rekey_search",
            Self::FtsBulk => "fts_bulk",
            Self::SyncDevice => ids::DEVICE_KEY,
            Self::SyncHub => "sync_hub",
            Self::SyncCursor => "sync_cursor",
            Self::Printers => "printers",
        }
    }
}

pub(crate) fn local_get(conn: &Connection, key: Local) -> Result<Option<String>> {
    match conn.prepare_cached("SELECT value FROM local_settings WHERE key = ?1") {
        Ok(mut stmt) => Ok(stmt.query_row([key.key()], |r| r.get(0)).optional()?),
        // A ledger before 014 keeps this PC's keys in `settings`: the copy
        // made before its upgrade reads the second place there.
        Err(_) if !has_local_settings(conn)? => get(conn, key.key()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn local_put(tx: &Transaction, key: Local, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO local_settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key.key(), value])?;
    Ok(())
}

pub(crate) fn local_delete(tx: &Transaction, key: Local) -> Result<()> {
    tx.prepare_cached("DELETE FROM local_settings WHERE key = ?1")?
        .execute([key.key()])?;
    Ok(())
}

fn has_local_settings(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'local_settings'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys migration 014 moves out of `settings` are the ones declared
    /// here, so that the two lists cannot drift apart.
    #[test]
    fn the_keys_014_moves_are_the_local_ones() {
        let sql = include_str!("../../migrations/014_sync.sql");
        for key in [
            Local::CurrentStaff,
            Local::SecondPlace,
            Local::RekeySearch,
            Local::FtsBulk,
        ] {
            assert!(sql.contains(&format!("'{}'", key.key())), "{key:?}");
        }
    }
}
