//! 「確認が必要な変更」: the conflicts the hub recorded, as the office reads
//! and settles them. A card names the customer, the field by its label, the
//! value both started from, A and B (who, on which PC, when) and the value
//! in effect now. Settling it is an ordinary write of the customer (the
//! change log, the search key, sync to every PC) that also closes the card
//! on every PC.

use rusqlite::types::ValueRef;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::columns::column;
use crate::record::customers;
use crate::record::rules::DISPLAY_NAME;
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

/// One conflict as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ConflictCard {
    pub id: i64,
    /// When the hub met it.
    pub at: String,
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub table: String,
    pub field: String,
    /// The field as the form names it (電話番号); the column name when the
    /// field is not a customer's.
    pub field_label: String,
    pub base: Option<String>,
    pub a: Side,
    pub b: Side,
    /// The value in effect now, on this PC.
    pub now: Option<String>,
    /// What the hub put in effect: b (the later arrival), both (notes),
    /// sticky (a DM stop kept), rejected (a change the ledger refused).
    pub kept: String,
}

/// One side of a conflict: its value, who wrote it, on which PC, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Side {
    pub value: Option<String>,
    pub staff: Option<String>,
    pub pc: Option<String>,
    pub at: Option<String>,
}

/// How a card is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "take", rename_all = "snake_case")]
pub enum Settle {
    /// Keep what is in effect now (and close the card).
    Keep,
    A,
    B,
    /// A value the person typed.
    Value {
        value: String,
    },
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

fn cards_sql() -> String {
    format!(
        "SELECT k.id, k.at, k.customer_id, coalesce({DISPLAY_NAME}, ''), k.table_name, \
         k.field, k.base, k.a, sa.name, da.name, k.a_at, k.b, sb.name, db.name, k.b_at, \
         k.kept, k.row_id \
         FROM sync_conflicts k \
         LEFT JOIN customers c ON c.id = k.customer_id \
         LEFT JOIN staff sa ON sa.id = k.a_staff_id \
         LEFT JOIN staff sb ON sb.id = k.b_staff_id \
         LEFT JOIN sync_devices da ON da.id = k.a_device \
         LEFT JOIN sync_devices db ON db.id = k.b_device \
         WHERE k.resolved_at IS NULL AND (?1 IS NULL OR k.customer_id = ?1) ORDER BY k.id"
    )
}

/// The value of `field` in effect now, for a customer field.
fn now_of(
    conn: &rusqlite::Connection,
    table: &str,
    field: &str,
    customer: Option<i64>,
) -> Result<Option<String>> {
    let (Some(id), Some(column)) = (customer, column(field).filter(|_| table == "customers"))
    else {
        return Ok(None);
    };
    let sql = format!("SELECT {} FROM customers WHERE id = ?1", column.name);
    Ok(conn
        .query_row(&sql, [id], |r| Ok(shown(r.get_ref(0)?)))
        .optional()?
        .flatten())
}

fn cards(conn: &rusqlite::Connection, customer: Option<i64>) -> Result<Vec<ConflictCard>> {
    let mut cards = sql::rows(conn, &cards_sql(), [customer], |r| {
        let side = |v: usize| -> rusqlite::Result<Side> {
            Ok(Side {
                value: shown(r.get_ref(v)?),
                staff: r.get(v + 1)?,
                pc: r.get(v + 2)?,
                at: r.get(v + 3)?,
            })
        };
        let table: String = r.get(4)?;
        let field: String = r.get(5)?;
        let field_label = match (table.as_str(), column(&field)) {
            ("customers", Some(c)) => c.label.to_string(),
            _ => field.clone(),
        };
        Ok(ConflictCard {
            id: r.get(0)?,
            at: r.get(1)?,
            customer_id: r.get(2)?,
            customer_name: r.get(3)?,
            table,
            field,
            field_label,
            base: shown(r.get_ref(6)?),
            a: side(7)?,
            b: side(11)?,
            now: None,
            kept: r.get(15)?,
        })
    })?;
    for card in &mut cards {
        card.now = now_of(conn, &card.table, &card.field, card.customer_id)?;
    }
    Ok(cards)
}

impl Ledger {
    /// The open cards, oldest first.
    pub fn conflict_cards(&self) -> Result<Vec<ConflictCard>> {
        cards(&self.conn, None)
    }

    /// The customer's fields that have an open card (the ⚠ beside them).
    pub fn conflicted_fields(&self, customer_id: i64) -> Result<Vec<String>> {
        Ok(cards(&self.conn, Some(customer_id))?
            .into_iter()
            .filter(|c| c.table == "customers" && c.kept != "rejected")
            .map(|c| c.field)
            .collect())
    }

    /// Settles a card: the chosen value is written as an edit of the
    /// customer by the person acting (logged, searchable, synced), and the
    /// card closes on every PC.
    pub fn resolve_conflict(&mut self, actor: &Actor, id: i64, settle: &Settle) -> Result<()> {
        self.write(Need::Customers, |tx| {
            let card =
                cards(tx, None)?
                    .into_iter()
                    .find(|c| c.id == id)
                    .ok_or(LedgerError::NotFound {
                        entity: "確認が必要な変更",
                        id,
                    })?;
            let value = match settle {
                Settle::Keep => None,
                Settle::A => Some(card.a.value.clone()),
                Settle::B => Some(card.b.value.clone()),
                Settle::Value { value } => Some(Some(value.clone())),
            };
            if let (Some(value), Some(customer)) = (value, card.customer_id) {
                if card.table == "customers" && card.kept != "rejected" {
                    set_field(tx, actor, customer, &card.field, value.as_deref())?;
                }
            }
            tx.execute(
                "UPDATE sync_conflicts SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
                params![
                    id,
                    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
                    actor.staff_id
                ],
            )?;
            Ok(())
        })
    }
}

/// Writes one customer field through the customer's own update (its
/// checks, its change-log row, its search key): the value is put in the
/// field as SQLite stores it, read back as the record, and the column set
/// back, so that the update sees the one change.
fn set_field(
    tx: &Transaction,
    actor: &Actor,
    customer: i64,
    field: &str,
    value: Option<&str>,
) -> Result<()> {
    let Some(column) = column(field) else {
        return Ok(());
    };
    let before: Option<String> = tx.query_row(
        &format!("SELECT {} FROM customers WHERE id = ?1", column.name),
        [customer],
        |r| Ok(shown(r.get_ref(0)?)),
    )?;
    let put = format!("UPDATE customers SET {} = ?2 WHERE id = ?1", column.name);
    tx.execute(&put, params![customer, value])?;
    let chosen = customers::get_in(tx, customer)?.fields;
    tx.execute(&put, params![customer, before])?;
    customers::update_in(tx, actor, customer, &chosen)
}
