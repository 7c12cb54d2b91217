//! Fields two PCs changed at once, as the hub met them (`Clash`) and as the
//! office reads them afterwards (`sync_conflicts`, replicated to every PC).

use rusqlite::session::{ChangesetItem, ConflictType};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use crate::store::error::Result;
use crate::store::{ids, sql};

/// One row the hub found changed since the PC read it: its key and each
/// field both sides changed, with the value both started from (`base`,
/// NULL when both inserted the row), the hub's (`a`) and the arriving one
/// (`b`).
#[derive(Debug, Clone)]
pub(crate) struct Clash {
    pub table: String,
    pub key: Vec<Value>,
    pub fields: Vec<ClashField>,
}

#[derive(Debug, Clone)]
pub(crate) struct ClashField {
    pub column: usize,
    pub base: Value,
    pub a: Value,
    pub b: Value,
}

/// Reads a DATA or CONFLICT item of an UPDATE or INSERT: the fields whose
/// value at the hub is neither the starting one nor the arriving one.
pub(crate) fn clash_of(kind: &ConflictType, item: &ChangesetItem) -> rusqlite::Result<Clash> {
    let op = item.op()?;
    let table = op.table_name().to_string();
    let pk = item.pk()?.to_vec();
    let inserted = *kind == ConflictType::SQLITE_CHANGESET_CONFLICT;
    let mut key = Vec::new();
    let mut fields = Vec::new();
    for (column, &in_key) in pk.iter().enumerate() {
        if in_key != 0 {
            let value = if inserted {
                item.new_value(column)?
            } else {
                item.old_value(column)?
            };
            key.push(owned(value));
            continue;
        }
        // Only the fields the arriving change set have a new value.
        let Ok(b) = item.new_value(column) else {
            continue;
        };
        let a = item.conflict(column)?;
        let base = if inserted {
            ValueRef::Null
        } else {
            item.old_value(column)?
        };
        if a != base && a != b {
            fields.push(ClashField {
                column,
                base: owned(base),
                a: owned(a),
                b: owned(b),
            });
        }
    }
    Ok(Clash { table, key, fields })
}

/// A value read from a changeset, kept past the apply.
pub(crate) fn owned(value: ValueRef) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// Who wrote a value: a PC, the person at it, and when by its clock.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub device: Option<i64>,
    pub staff_id: Option<i64>,
    pub at: Option<String>,
}

/// What the hub decided about one field, as recorded for the office.
pub(crate) struct Decided<'a> {
    pub table: &'a str,
    pub row_id: Value,
    pub customer_id: Option<i64>,
    pub field: &'a str,
    pub base: Value,
    pub a: (Value, &'a Origin),
    pub b: (Value, &'a Origin),
    pub kept: &'static str,
}

pub(crate) fn record(tx: &Transaction, at: &str, d: &Decided) -> Result<()> {
    let id = ids::next_id(tx, "sync_conflicts")?;
    tx.prepare_cached(
        "INSERT INTO sync_conflicts (id, at, table_name, row_id, customer_id, field, base, \
         a, a_device, a_staff_id, a_at, b, b_device, b_staff_id, b_at, kept) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        id,
        at,
        d.table,
        d.row_id,
        d.customer_id,
        d.field,
        d.base,
        d.a.0,
        d.a.1.device,
        d.a.1.staff_id,
        d.a.1.at,
        d.b.0,
        d.b.1.device,
        d.b.1.staff_id,
        d.b.1.at,
        d.kept,
    ])?;
    Ok(())
}

/// A conflict as the office reads it (`daicho conflicts`, the inbox).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ConflictEntry {
    pub id: i64,
    pub at: String,
    pub table: String,
    pub customer_id: Option<i64>,
    pub field: String,
    /// The values as text; None for no value.
    pub base: Option<String>,
    pub a: Option<String>,
    pub a_device: Option<i64>,
    pub a_at: Option<String>,
    pub b: Option<String>,
    pub b_device: Option<i64>,
    pub b_at: Option<String>,
    /// What the hub put in effect: b, both, sticky or rejected.
    pub kept: String,
    pub resolved: bool,
}

fn shown(value: ValueRef) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(format!("（変更一式 {} バイト）", b.len())),
    }
}

pub(crate) fn list(conn: &Connection, open_only: bool) -> Result<Vec<ConflictEntry>> {
    sql::rows(
        conn,
        "SELECT id, at, table_name, customer_id, field, base, a, a_device, a_at, \
         b, b_device, b_at, kept, resolved_at IS NOT NULL \
         FROM sync_conflicts WHERE NOT (?1 AND resolved_at IS NOT NULL) ORDER BY id",
        [open_only],
        |r| {
            Ok(ConflictEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                table: r.get(2)?,
                customer_id: r.get(3)?,
                field: r.get(4)?,
                base: shown(r.get_ref(5)?),
                a: shown(r.get_ref(6)?),
                a_device: r.get(7)?,
                a_at: r.get(8)?,
                b: shown(r.get_ref(9)?),
                b_device: r.get(10)?,
                b_at: r.get(11)?,
                kept: r.get(12)?,
                resolved: r.get(13)?,
            })
        },
    )
}
