//! One fingerprint per replicated table, to tell whether a PC's copy is the
//! hub's: every row in key order, every value with its type.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::store::error::Result;
use crate::store::sql;
use crate::sync::replicated;

/// (table, SHA-256 of its rows) for every replicated table, by name.
/// Each replicated table's name and fingerprint, by name.
pub type Tables = Vec<(String, String)>;

pub(crate) fn tables(conn: &Connection) -> Result<Tables> {
    let names: Vec<String> = sql::rows(
        conn,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
        [],
        |r| r.get(0),
    )?;
    names
        .into_iter()
        .filter(|name| replicated(name))
        .map(|name| {
            let hash = table(conn, &name)?;
            Ok((name, hash))
        })
        .collect()
}

fn table(conn: &Connection, name: &str) -> Result<String> {
    let keys: Vec<String> = sql::rows(
        conn,
        "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
        [name],
        |r| r.get(0),
    )?;
    let order = if keys.is_empty() {
        "rowid".to_string()
    } else {
        keys.iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The table name comes from sqlite_schema, not from outside.
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\" ORDER BY {order}"))?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    let mut hash = Sha256::new();
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            feed(&mut hash, row.get_ref(i)?);
        }
    }
    Ok(format!("{:x}", hash.finalize()))
}

fn feed(hash: &mut Sha256, value: ValueRef) {
    match value {
        ValueRef::Null => hash.update([0]),
        ValueRef::Integer(i) => {
            hash.update([1]);
            hash.update(i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            hash.update([2]);
            hash.update(f.to_le_bytes());
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            hash.update([if matches!(value, ValueRef::Text(_)) {
                3
            } else {
                4
            }]);
            hash.update((t.len() as u64).to_le_bytes());
            hash.update(t);
        }
    }
}
