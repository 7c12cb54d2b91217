//! A PC of the office: what it remembers of its hub, its outbox, and the
//! applying of the hub's log. The PC pulls only with an empty outbox, so
//! that its copy is then exactly the hub's at the cursor plus the changes
//! the hub has already taken (which come back in the log in their place).

use std::path::Path;

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::store::error::{LedgerError, Result};
use crate::store::kv::{self, Local};
use crate::store::ledger::Ledger;
use crate::store::sql;
use crate::sync::conflicts::{self, ConflictEntry};
use crate::sync::hub::{Entry, Taken};
use crate::sync::{apply, as_decided, digest};

/// What this PC remembers of its hub (`local_settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    /// Where the hub answers; empty until known (the first PC learns it at
    /// its first sync).
    pub url: String,
    /// The SHA-256 of the hub's certificate, pinned when this PC joined.
    pub fingerprint: String,
    pub token: String,
    pub device: i64,
    pub hub_name: String,
}

pub(crate) fn joined(conn: &Connection) -> Result<bool> {
    Ok(kv::local_get(conn, Local::SyncHub)?.is_some())
}

fn hub_of(conn: &Connection) -> Result<Option<Joined>> {
    kv::local_get(conn, Local::SyncHub)?
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| LedgerError::Conflict(format!("同期の設定が読めません: {e}")))
        })
        .transpose()
}

/// Makes this copy the PC `hub.device` of an office whose log it reflects
/// up to `cursor`: its outbox starts empty (a copy may carry another PC's
/// unsent changes) and its new ids take that device's range.
pub(crate) fn join_in(tx: &Transaction, hub: &Joined, cursor: i64) -> Result<()> {
    tx.execute("DELETE FROM sync_outbox", [])?;
    let json = serde_json::to_string(hub).expect("plain struct");
    kv::local_put(tx, Local::SyncHub, &json)?;
    kv::local_put(tx, Local::SyncDevice, &hub.device.to_string())?;
    kv::local_put(tx, Local::SyncCursor, &cursor.to_string())
}

/// The last number this copy gave a write for the hub (its outbox's
/// AUTOINCREMENT counter).
pub fn outbox_counter(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0), \
         coalesce((SELECT max(seq) FROM sync_outbox), 0))",
        [],
        |r| r.get(0),
    )?)
}

/// Numbers this copy's next writes after `from`: the hub takes each
/// (PC, number) once and skips a number it has taken, so a copy that put
/// another in its place (a repair, a restored backup) must never number a
/// write again from below what it numbered before.
pub(crate) fn keep_counting(tx: &Transaction, from: i64) -> Result<()> {
    let raised = tx.execute(
        "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'sync_outbox'",
        [from],
    )?;
    if raised == 0 && from > 0 {
        tx.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('sync_outbox', ?1)",
            [from],
        )?;
    }
    Ok(())
}

/// One write waiting for the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub seq: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    pub changeset: Vec<u8>,
}

/// Where this PC stands with its hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpokeState {
    pub hub: Joined,
    /// The last log entry applied here.
    pub cursor: i64,
    /// Writes not yet taken by the hub.
    pub unsent: i64,
}

/// What a pull applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Applied {
    pub entries: usize,
    pub cursor: i64,
}

impl Ledger {
    /// Where this PC stands with its hub; None on a PC on its own.
    pub fn sync_state(&self) -> Result<Option<SpokeState>> {
        let Some(hub) = hub_of(&self.conn)? else {
            return Ok(None);
        };
        let cursor = kv::local_get(&self.conn, Local::SyncCursor)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let unsent = self
            .conn
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(Some(SpokeState {
            hub,
            cursor,
            unsent,
        }))
    }

    /// Remembers where the hub answers (the first PC learns it after
    /// `hub init`; a PC whose hub moved is told again).
    pub fn set_sync_url(&mut self, url: &str) -> Result<()> {
        let Some(mut hub) = hub_of(&self.conn)? else {
            return Err(LedgerError::Conflict(NOT_JOINED.into()));
        };
        hub.url = url.to_string();
        self.write_as_system(|tx| {
            let json = serde_json::to_string(&hub).expect("plain struct");
            kv::local_put(tx, Local::SyncHub, &json)
        })
    }

    /// The oldest `limit` writes waiting for the hub, in order.
    pub fn sync_outbox(&self, limit: u32) -> Result<Vec<Outgoing>> {
        sql::rows(
            &self.conn,
            "SELECT seq, at, staff_id, changeset FROM sync_outbox ORDER BY seq LIMIT ?1",
            [limit],
            |r| {
                Ok(Outgoing {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    staff_id: r.get(2)?,
                    changeset: r.get(3)?,
                })
            },
        )
    }

    /// Drops the writes the hub has taken, first undoing those it refused
    /// (latest first), in one transaction.
    pub fn sync_taken(&mut self, taken: &Taken) -> Result<()> {
        let through = taken.through;
        self.write_applying(|tx| {
            for (_, undo) in taken.refused.iter().rev() {
                apply(tx, undo, |kind, _| as_decided(kind))?;
            }
            tx.prepare_cached("DELETE FROM sync_outbox WHERE seq <= ?1")?
                .execute([through])?;
            Ok(())
        })
    }

    /// Applies the hub's log entries in one transaction and moves the
    /// cursor past them. None, applying nothing, while writes wait in the
    /// outbox (they are pushed first). An entry that does not apply as the
    /// hub decided means this copy has drifted: nothing is applied and the
    /// error says so.
    pub fn sync_apply(&mut self, entries: &[Entry]) -> Result<Option<Applied>> {
        let Some(state) = self.sync_state()? else {
            return Err(LedgerError::Conflict(NOT_JOINED.into()));
        };
        self.write_applying(|tx| {
            let unsent: i64 = tx.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
            if unsent > 0 {
                return Ok(None);
            }
            let mut cursor = state.cursor;
            for entry in entries.iter().filter(|e| e.seq > state.cursor) {
                for changeset in &entry.changesets {
                    apply(tx, changeset, |kind, _| as_decided(kind))
                        .map_err(|e| not_applied(entry.seq, &e))?;
                }
                cursor = entry.seq;
            }
            kv::local_put(tx, Local::SyncCursor, &cursor.to_string())?;
            Ok(Some(Applied {
                entries: entries.len(),
                cursor,
            }))
        })
    }

    /// This PC leaves its office: it forgets the hub and stops capturing;
    /// writes still waiting are dropped (the caller sent or listed them
    /// first) and counted. Its ids stay in its range, so a PC that joins
    /// again never repeats one.
    pub fn sync_leave(&mut self) -> Result<i64> {
        let dropped = self.write_as_system(|tx| {
            let dropped: i64 =
                tx.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
            tx.execute("DELETE FROM sync_outbox", [])?;
            kv::local_delete(tx, Local::SyncHub)?;
            kv::local_delete(tx, Local::SyncCursor)?;
            Ok(dropped)
        })?;
        self.captures = false;
        Ok(dropped)
    }

    /// This PC's own settings but sync's, to carry into a repaired copy.
    pub fn own_settings(&self) -> Result<Vec<(String, String)>> {
        let sync_keys = [Local::SyncHub, Local::SyncCursor, Local::SyncDevice].map(Local::key);
        Ok(sql::rows(
            &self.conn,
            "SELECT key, value FROM local_settings ORDER BY key",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?
        .into_iter()
        .filter(|(key, _)| !sync_keys.contains(&key.as_str()))
        .collect())
    }

    /// The fingerprints of the replicated tables, to compare with the hub's.
    pub fn sync_digest(&self) -> Result<digest::Tables> {
        Ok(self.sync_state_and_digest()?.1)
    }

    /// Where this PC stands and its tables' fingerprints, read at one
    /// moment: a write between the two would make alike copies look apart.
    pub fn sync_state_and_digest(&self) -> Result<(Option<SpokeState>, digest::Tables)> {
        let tx = self.conn.unchecked_transaction()?;
        let state = self.sync_state()?;
        Ok((state, digest::tables(&tx)?))
    }

    /// The conflicts the hub recorded (open ones only, or all).
    pub fn sync_conflicts(&self, open_only: bool) -> Result<Vec<ConflictEntry>> {
        conflicts::list(&self.conn, open_only)
    }
}

/// A log entry that did not apply as the hub decided: a damaged message,
/// or a copy that has drifted from the hub's. Told as such, not as a
/// damaged ledger file (the pull is rolled back; the file is whole).
fn not_applied(seq: i64, error: &rusqlite::Error) -> LedgerError {
    LedgerError::Drifted(format!(
        "親機の変更（{seq} 番）をこのPCの台帳に反映できなかったため、今回の受信は何も反映して\
         いません（{error}）。このPCの台帳が親機の台帳と食い違っています。"
    ))
}

const NOT_JOINED: &str = "この台帳は親機につながっていません。";

/// Makes the hub's snapshot at `copy` this PC's ledger at `target` (a new
/// file): checks it is a whole ledger of this version, joins it as
/// `hub.device` at `cursor` with this PC's own settings `carried` (a
/// repaired copy keeps the person chosen here and the second place) and
/// its writes numbered on from `outbox_from`, then moves it into place.
pub fn install_snapshot(
    copy: &Path,
    target: &Path,
    hub: &Joined,
    cursor: i64,
    carried: &[(String, String)],
    outbox_from: i64,
) -> Result<()> {
    if target.exists() {
        return Err(LedgerError::Conflict(format!(
            "{} は既にあります。親機の台帳は新しいファイルとして受け取ります（既存のファイルに\
             は手を加えていません）。",
            target.display()
        )));
    }
    {
        let mut ledger = Ledger::open_store(copy)?;
        let check: String = ledger
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let orphans: i64 =
            ledger
                .conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
        if check != "ok" || orphans > 0 {
            return Err(LedgerError::Corrupt {
                path: copy.to_path_buf(),
            });
        }
        ledger.write_as_system(|tx| {
            for (key, value) in carried {
                tx.execute(
                    "INSERT OR REPLACE INTO local_settings (key, value) VALUES (?1, ?2)",
                    params![key, value],
                )?;
            }
            join_in(tx, hub, cursor)?;
            keep_counting(tx, outbox_from)
        })?;
        ledger
            .conn
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    }
    std::fs::rename(copy, target).map_err(LedgerError::io(target))?;
    Ok(())
}

/// The office's PCs that have not left, by number: (number, name, role),
/// the role `hub` for the hub itself.
pub fn devices(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    sql::rows(
        conn,
        "SELECT id, name, role FROM sync_devices WHERE left_at IS NULL ORDER BY id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
