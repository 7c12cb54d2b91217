//! Office-wide settings, kept in the ledger so that a backup carries them.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ledger::Ledger;

pub(crate) const FIRST_RUN_DONE: &str = "first_run_done";
const AUTO_IMPORTANT_LABEL: &str = "auto_important_label";
const CURRENT_STAFF: &str = "current_staff_id";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Settings {
    /// New customers in an inquiry status get the label 重要顧客.
    pub auto_important_label: bool,
    /// The first-run screen (preset choice) has been completed.
    pub first_run_done: bool,
    /// The staff member working at this PC, remembered between starts.
    pub current_staff_id: Option<i64>,
}

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn put(tx: &Transaction, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub(crate) fn read(conn: &Connection) -> Result<Settings> {
    let flag = |key: &str, default: bool| -> Result<bool> {
        Ok(get(conn, key)?.map_or(default, |v| v == "true"))
    };
    Ok(Settings {
        auto_important_label: flag(AUTO_IMPORTANT_LABEL, true)?,
        first_run_done: flag(FIRST_RUN_DONE, false)?,
        current_staff_id: get(conn, CURRENT_STAFF)?.and_then(|v| v.parse().ok()),
    })
}

impl Ledger {
    pub fn settings(&self) -> Result<Settings> {
        read(&self.conn)
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<Settings> {
        if let Some(id) = settings.current_staff_id {
            if !crate::staff::exists(&self.conn, id)? {
                return Err(crate::LedgerError::NotFound {
                    entity: "担当者",
                    id,
                });
            }
        }
        self.write(|tx| {
            put(
                tx,
                AUTO_IMPORTANT_LABEL,
                &settings.auto_important_label.to_string(),
            )?;
            put(tx, FIRST_RUN_DONE, &settings.first_run_done.to_string())?;
            let staff = settings
                .current_staff_id
                .map(|id| id.to_string())
                .unwrap_or_default();
            put(tx, CURRENT_STAFF, &staff)?;
            read(tx)
        })
    }
}
