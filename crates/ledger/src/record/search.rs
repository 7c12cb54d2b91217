//! Recomputing every customer's search key, when a migration changed the
//! rules of `daicho_text::search_key` (010: variant kanji). It runs after
//! every migration, on the schema the record's code reads.

use rusqlite::Transaction;

use crate::record::customers;
use crate::store::error::Result;
use crate::store::kv::{self, Local};
use crate::store::sql;

/// Whether a migration asked for the keys to be recomputed.
pub(crate) fn rekey_asked(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(kv::local_get(conn, Local::RekeySearch)?.is_some())
}

/// Recomputes every key, then rebuilds the search index in one pass instead
/// of once per customer (003_bulk_fts), and clears the request.
pub(crate) fn rekey(tx: &Transaction) -> Result<()> {
    kv::local_put(tx, Local::FtsBulk, "1")?;
    for id in sql::rows(tx, "SELECT id FROM customers", [], |r| r.get(0))? {
        customers::refresh_search_key(tx, id)?;
    }
    tx.execute(
        "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
        [],
    )?;
    kv::local_delete(tx, Local::FtsBulk)?;
    kv::local_delete(tx, Local::RekeySearch)
}
