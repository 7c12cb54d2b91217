//! Change capture on the one write path: on a PC that has joined an office,
//! `Ledger::write` runs its work under a session attached to every
//! replicated table and stores the changeset in `sync_outbox` in the same
//! transaction, so a write and its record of itself commit or vanish
//! together. A PC on its own captures nothing and pays nothing.

use rusqlite::session::Session;
use rusqlite::{params, Transaction};

use crate::store::error::Result;
use crate::sync::replicated;

/// Runs `work` with a session recording its changes, then queues them.
pub(crate) fn captured<T>(
    tx: &Transaction,
    staff_id: Option<i64>,
    work: impl FnOnce(&Transaction) -> Result<T>,
) -> Result<T> {
    let mut session = Session::new(tx)?;
    session.table_filter(Some(replicated));
    session.attach::<&str>(None)?;
    let value = work(tx)?;
    if !session.is_empty() {
        let mut changeset = Vec::new();
        session.changeset_strm(&mut changeset)?;
        drop(session);
        // An UPDATE that set a value to itself leaves an empty changeset.
        if !changeset.is_empty() {
            queue(tx, staff_id, &changeset)?;
        }
    }
    Ok(value)
}

/// The write's time is the PC's clock, kept for the people reading a
/// conflict ("A, 10:02 on 田中のノートPC"); the hub orders by arrival.
fn queue(tx: &Transaction, staff_id: Option<i64>, changeset: &[u8]) -> Result<()> {
    let at = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
    tx.prepare_cached("INSERT INTO sync_outbox (at, staff_id, changeset) VALUES (?1, ?2, ?3)")?
        .execute(params![at, staff_id, changeset])?;
    Ok(())
}
