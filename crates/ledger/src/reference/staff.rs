//! Staff (担当者): who is assigned to a customer and who made each change.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ledger::Ledger;
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Staff {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StaffInput {
    pub id: Option<i64>,
    pub name: String,
    pub kana: String,
    pub active: bool,
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt =
        conn.prepare("SELECT id, name, kana, active FROM staff ORDER BY position, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Staff {
                id: r.get(0)?,
                name: r.get(1)?,
                kana: r.get(2)?,
                active: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A new member goes last in the list.
const INSERT_STAFF: &str = "INSERT INTO staff (name, kana, active, position) \
    VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM staff))";

impl Ledger {
    pub fn staff(&self) -> Result<Vec<Staff>> {
        list_in(&self.conn)
    }

    pub fn save_staff(&mut self, input: &StaffInput) -> Result<Staff> {
        let name = input.name.trim().to_string();
        if name.is_empty() {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "name",
                "担当者名を入力してください。",
            )]));
        }
        let kana = daicho_text::kana::normalize_kana(&input.kana);
        self.write(|tx| {
            let clash: Option<i64> = tx
                .query_row("SELECT id FROM staff WHERE name = ?1", [&name], |r| {
                    r.get(0)
                })
                .optional()?;
            if clash.is_some() && clash != input.id {
                return Err(LedgerError::Invalid(vec![FieldError::new(
                    "name",
                    format!("「{name}」という担当者は既にいます。"),
                )]));
            }
            let id = match input.id {
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE staff SET name = ?2, kana = ?3, active = ?4 WHERE id = ?1",
                        params![id, name, kana, input.active],
                    )?;
                    sql::found(changed, "担当者", id)?;
                    id
                }
                None => {
                    tx.execute(INSERT_STAFF, params![name, kana, input.active])?;
                    tx.last_insert_rowid()
                }
            };
            Ok(Staff {
                id,
                name: name.clone(),
                kana: kana.clone(),
                active: input.active,
            })
        })
    }
}
