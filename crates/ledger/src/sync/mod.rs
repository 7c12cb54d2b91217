//! Several PCs, one ledger (issue #19): the ledger's side of sync. Every PC
//! keeps a full copy. A write on a PC that has joined an office is captured
//! by SQLite's session extension in the same transaction (`capture`) and
//! waits in `sync_outbox` until the hub takes it. The hub (`hub`) keeps its
//! own copy, orders every change in one log, applies the office's policies
//! (`policy`) and records what it put in effect; each PC applies that log
//! in order (`spoke`). SQLite captures, encodes, applies and detects
//! conflicts; what is ours is the ordering and the policies.

pub(crate) mod capture;
pub(crate) mod conflicts;
pub(crate) mod digest;
pub mod hub;
pub mod inbox;
pub(crate) mod policy;
pub mod spoke;

use rusqlite::session::{ConflictAction, ConflictType};

/// Tables that are this PC's own or rebuilt from others, never sent: this
/// PC's settings and outbox, the search index (its triggers rebuild it from
/// `customers` on every PC), SQLite's own tables and the hub's bookkeeping.
pub(crate) fn replicated(table: &str) -> bool {
    !(matches!(table, "local_settings" | "sync_outbox")
        || table.starts_with("customer_fts")
        || table.starts_with("customer_grams")
        || table.starts_with("sqlite_")
        || table.starts_with("hub_"))
}

/// How a PC applies the hub's log: the log is what the office decided, so a
/// row that differs is overwritten (DATA, CONFLICT), a row already gone
/// stays gone (NOTFOUND), and anything else means this copy has drifted
/// from the hub (the pull is rolled back and the copy repaired).
pub(crate) fn as_decided(kind: ConflictType) -> ConflictAction {
    match kind {
        ConflictType::SQLITE_CHANGESET_DATA | ConflictType::SQLITE_CHANGESET_CONFLICT => {
            ConflictAction::SQLITE_CHANGESET_REPLACE
        }
        ConflictType::SQLITE_CHANGESET_NOTFOUND => ConflictAction::SQLITE_CHANGESET_OMIT,
        _ => ConflictAction::SQLITE_CHANGESET_ABORT,
    }
}

/// Applies one changeset to `conn` (inside the caller's transaction) with
/// `on_conflict`, keeping only replicated tables.
pub(crate) fn apply(
    conn: &rusqlite::Connection,
    changeset: &[u8],
    on_conflict: impl Fn(ConflictType, rusqlite::session::ChangesetItem) -> ConflictAction
        + Send
        + 'static,
) -> rusqlite::Result<()> {
    let mut input: &[u8] = changeset;
    conn.apply_strm(&mut input, Some(replicated), on_conflict)
}
