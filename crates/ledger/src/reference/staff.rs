//! Staff (担当者): who is assigned to a customer and who made each change.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::store::access::{Acting, Need, Role};
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::Ledger;
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Staff {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub active: bool,
    pub role: Role,
    /// A PIN is set (the hash itself never leaves the ledger).
    pub has_pin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StaffInput {
    pub id: Option<i64>,
    pub name: String,
    pub kana: String,
    pub active: bool,
    pub role: Role,
}

const SELECT_STAFF: &str = "SELECT id, name, kana, active, role, pin_hash IS NOT NULL \
    FROM staff ORDER BY position, id";

fn role_of(stored: String) -> Role {
    // The CHECK constraint keeps the column to the four stored forms.
    Role::parse(&stored).unwrap_or(Role::ReadOnly)
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare(SELECT_STAFF)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Staff {
                id: r.get(0)?,
                name: r.get(1)?,
                kana: r.get(2)?,
                active: r.get(3)?,
                role: role_of(r.get(4)?),
                has_pin: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The active members, in list order, as someone a connection may act for.
pub(crate) fn acting_candidates(conn: &Connection) -> Result<Vec<Acting>> {
    Ok(list_in(conn)?
        .into_iter()
        .filter(|s| s.active)
        .map(|s| Acting {
            staff_id: Some(s.id),
            name: s.name,
            role: s.role,
        })
        .collect())
}

pub(crate) fn pin_hash(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT pin_hash FROM staff WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

pub(crate) fn set_pin_hash_in(tx: &Connection, id: i64, hash: &str) -> Result<()> {
    let changed = tx.execute(
        "UPDATE staff SET pin_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    sql::found(changed, "担当者", id)
}

/// The id of the member of that name (active or not).
pub(crate) fn id_named(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM staff WHERE name = ?1", [name], |r| r.get(0))
        .optional()?)
}

pub(crate) fn has_pin(conn: &Connection, id: Option<i64>) -> Result<bool> {
    Ok(match id {
        Some(id) => pin_hash(conn, id)?.is_some(),
        None => false,
    })
}

/// The office always keeps one active 管理者: the first member becomes one,
/// and the last one cannot be demoted or retired.
fn keeps_an_admin(tx: &Connection, input: &StaffInput) -> Result<Role> {
    let others: i64 = tx.query_row(
        "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1 AND id IS NOT ?1",
        [input.id],
        |r| r.get(0),
    )?;
    if others > 0 || (input.role == Role::Admin && input.active) {
        return Ok(input.role);
    }
    if input.id.is_none() {
        return Ok(Role::Admin);
    }
    Err(LedgerError::Invalid(vec![FieldError::new(
        "role",
        "管理者が一人もいなくなるため変更できません。先に別の担当者を管理者にしてください。",
    )]))
}

/// A new member goes last in the list.
const INSERT_STAFF: &str = "INSERT INTO staff (id, name, kana, active, role, position) \
    VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM staff))";

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
        self.write(Need::Staff, |tx| {
            let clash = id_named(tx, &name)?;
            if clash.is_some() && clash != input.id {
                return Err(LedgerError::Invalid(vec![FieldError::new(
                    "name",
                    format!("「{name}」という担当者は既にいます。"),
                )]));
            }
            let role = keeps_an_admin(tx, input)?;
            let id = match input.id {
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE staff SET name = ?2, kana = ?3, active = ?4, role = ?5 \
                         WHERE id = ?1",
                        params![id, name, kana, input.active, role.as_str()],
                    )?;
                    sql::found(changed, "担当者", id)?;
                    id
                }
                None => {
                    let id = ids::next_id(tx, "staff")?;
                    let params = params![id, name, kana, input.active, role.as_str()];
                    tx.execute(INSERT_STAFF, params)?;
                    id
                }
            };
            Ok(list_in(tx)?
                .into_iter()
                .find(|s| s.id == id)
                .expect("just saved"))
        })
        .inspect(|saved| self.refresh_acting(saved))
    }
}
