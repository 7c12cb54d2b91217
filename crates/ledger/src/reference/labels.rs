//! Labels (ラベル): free tags, many per customer. Which customer has which
//! label is the record's (`record::customer_labels`).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::Ledger;
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Label {
    pub id: i64,
    pub name: String,
    pub color: String,
}

impl Label {
    /// A row of `id, name, color`.
    pub(crate) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            name: r.get(1)?,
            color: r.get(2)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LabelInput {
    pub id: Option<i64>,
    pub name: String,
    pub color: String,
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<Label>> {
    sql::rows(
        conn,
        "SELECT id, name, color FROM labels ORDER BY position, id",
        [],
        Label::from_row,
    )
}

/// A new label goes last in the list.
const INSERT_LABEL: &str = "INSERT INTO labels (id, name, color, position) \
    VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM labels))";

pub(crate) fn insert(tx: &Transaction, name: &str, color: &str) -> Result<i64> {
    let id = ids::next_id(tx, "labels")?;
    tx.execute(INSERT_LABEL, params![id, name, color])?;
    Ok(id)
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
        self.write(Need::Settings, |tx| {
            crate::store::sql::name_free(tx, "labels", "ラベル", &name, input.id)?;
            let id = match input.id {
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE labels SET name = ?2, color = ?3 WHERE id = ?1",
                        params![id, name, input.color],
                    )?;
                    sql::found(changed, "ラベル", id)?;
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
        self.write(Need::Settings, |tx| {
            let deleted = tx.execute("DELETE FROM labels WHERE id = ?1", [id])?;
            sql::found(deleted, "ラベル", id)
        })
    }
}
