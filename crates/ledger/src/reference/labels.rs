//! Labels (ラベル): free tags, many per customer.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::changelog::{self, Change};
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Label {
    pub id: i64,
    pub name: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LabelInput {
    pub id: Option<i64>,
    pub name: String,
    pub color: String,
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<Label>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, color FROM labels ORDER BY position, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Label {
                id: r.get(0)?,
                name: r.get(1)?,
                color: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn insert(tx: &Transaction, name: &str, color: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO labels (name, color, position) VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM labels))",
        params![name, color],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn find_or_create(tx: &Transaction, name: &str) -> Result<i64> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM labels WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => insert(tx, name, "#dc2626"),
    }
}

/// The labels of one customer, in label order.
pub(crate) fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Label>> {
    let rows = sql::rows(
        conn,
        "SELECT l.id, l.name, l.color FROM customer_labels cl JOIN labels l ON l.id = cl.label_id
         WHERE cl.customer_id = ?1 ORDER BY l.position, l.id",
        [customer_id],
        |r| {
            Ok(Label {
                id: r.get(0)?,
                name: r.get(1)?,
                color: r.get(2)?,
            })
        },
    )?;
    Ok(rows)
}

/// Sets the labels of a customer and logs what was added and removed.
pub(crate) fn set_for_customer(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    label_ids: &[i64],
) -> Result<()> {
    let before = of_customer(tx, customer_id)?;
    let known = list_in(tx)?;
    let mut wanted: Vec<&Label> = Vec::new();
    for id in label_ids {
        let label = known
            .iter()
            .find(|l| l.id == *id)
            .ok_or(LedgerError::NotFound {
                entity: "ラベル",
                id: *id,
            })?;
        if !wanted.contains(&label) {
            wanted.push(label);
        }
    }
    let names = |labels: &[&Label]| {
        labels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let before_refs: Vec<&Label> = before.iter().collect();
    let (old, new) = (names(&before_refs), names(&wanted));
    if old == new {
        return Ok(());
    }
    tx.execute(
        "DELETE FROM customer_labels WHERE customer_id = ?1",
        [customer_id],
    )?;
    for label in &wanted {
        tx.execute(
            "INSERT INTO customer_labels (customer_id, label_id) VALUES (?1, ?2)",
            params![customer_id, label.id],
        )?;
    }
    changelog::record_customer(
        tx,
        actor,
        customer_id,
        &[Change::new("labels", Some(old), Some(new))],
    )
}

/// Gives a customer created in this transaction (so without labels yet)
/// its first label, logged as `set_for_customer` logs it.
pub(crate) fn add_to_new_customer(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    (label_id, label_name): (i64, &str),
) -> Result<()> {
    tx.prepare_cached("INSERT INTO customer_labels (customer_id, label_id) VALUES (?1, ?2)")?
        .execute(params![customer_id, label_id])?;
    changelog::record_customer(
        tx,
        actor,
        customer_id,
        &[Change::new(
            "labels",
            Some(String::new()),
            Some(label_name.to_string()),
        )],
    )
}

impl Ledger {
    pub fn labels(&self) -> Result<Vec<Label>> {
        list_in(&self.conn)
    }

    pub fn save_label(&mut self, input: &LabelInput) -> Result<Label> {
        let name = input.name.trim().to_string();
        if name.is_empty() {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "name",
                "ラベル名を入力してください。",
            )]));
        }
        self.write(|tx| {
            crate::record::validate::name_free(tx, "labels", "ラベル", &name, input.id)?;
            let id = match input.id {
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE labels SET name = ?2, color = ?3 WHERE id = ?1",
                        params![id, name, input.color],
                    )?;
                    if changed == 0 {
                        return Err(LedgerError::NotFound {
                            entity: "ラベル",
                            id,
                        });
                    }
                    id
                }
                None => insert(tx, &name, &input.color)?,
            };
            Ok(Label {
                id,
                name: name.clone(),
                color: input.color.clone(),
            })
        })
    }

    /// Deletes a label; the customers that had it simply lose it.
    pub fn delete_label(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM labels WHERE id = ?1", [id])? == 0 {
                return Err(LedgerError::NotFound {
                    entity: "ラベル",
                    id,
                });
            }
            Ok(())
        })
    }

    pub fn set_customer_labels(
        &mut self,
        actor: &Actor,
        customer_id: i64,
        label_ids: &[i64],
    ) -> Result<()> {
        self.write(|tx| {
            crate::record::customers::touch(tx, customer_id)?;
            set_for_customer(tx, actor, customer_id, label_ids)
        })
    }
}
