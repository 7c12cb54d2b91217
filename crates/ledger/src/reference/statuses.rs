//! Statuses (ステータス): the ordered, editable list a customer moves along.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::Ledger;
use crate::store::sql;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Inquiry,
    Negotiation,
    Nurture,
    Contract,
    Owner,
    Stopped,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Self::Inquiry,
        Self::Negotiation,
        Self::Nurture,
        Self::Contract,
        Self::Owner,
        Self::Stopped,
        Self::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inquiry => "inquiry",
            Self::Negotiation => "negotiation",
            Self::Nurture => "nurture",
            Self::Contract => "contract",
            Self::Owner => "owner",
            Self::Stopped => "stopped",
            Self::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stage| stage.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Status {
    pub id: i64,
    pub name: String,
    pub stage: Stage,
    pub dm_allowed: bool,
    pub color: String,
    pub position: i64,
    pub retired: bool,
}

/// A status as the settings screen edits it; `id` is `None` for a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StatusInput {
    pub id: Option<i64>,
    pub name: String,
    pub stage: Stage,
    pub dm_allowed: bool,
    pub color: String,
    pub retired: bool,
}

const COLUMNS: &str = "id, name, stage, dm_allowed, color, position, retired";

fn from_row(row: &Row) -> rusqlite::Result<Status> {
    let stage: String = row.get(2)?;
    Ok(Status {
        id: row.get(0)?,
        name: row.get(1)?,
        stage: Stage::parse(&stage).unwrap_or(Stage::Inquiry),
        dm_allowed: row.get(3)?,
        color: row.get(4)?,
        position: row.get(5)?,
        retired: row.get(6)?,
    })
}

/// `stages` as an SQL list: `'negotiation', 'contract'`.
pub(crate) fn stage_list(stages: &[Stage]) -> String {
    stages
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL over `customers c JOIN statuses s`: the customer is in one of
/// `stages` now, or was at any time in its status history.
pub(crate) fn reached_sql(stages: &[Stage]) -> String {
    let list = stage_list(stages);
    format!(
        "(s.stage IN ({list}) OR EXISTS (SELECT 1 FROM status_history h
            JOIN statuses hs ON hs.id = h.to_status_id
            WHERE h.customer_id = c.id AND hs.stage IN ({list})))"
    )
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<Status>> {
    let rows = sql::rows(
        conn,
        &format!("SELECT {COLUMNS} FROM statuses ORDER BY position, id"),
        [],
        from_row,
    )?;
    Ok(rows)
}

pub(crate) fn get_in(conn: &Connection, id: i64) -> Result<Status> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM statuses WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(LedgerError::NotFound {
            entity: "ステータス",
            id,
        })
}

/// The status a new customer gets when none is chosen: the first active
/// one of `statuses` (in their order).
pub(crate) fn first_active(statuses: &[Status]) -> Result<&Status> {
    statuses.iter().find(|s| !s.retired).ok_or_else(|| {
        LedgerError::Conflict(
            "有効なステータスがありません。設定でステータスを追加してください。".into(),
        )
    })
}

pub(crate) fn insert(
    tx: &Transaction,
    name: &str,
    stage: Stage,
    dm_allowed: bool,
    color: &str,
) -> Result<i64> {
    let id = ids::next_id(tx, "statuses")?;
    tx.execute(
        "INSERT INTO statuses (id, name, stage, dm_allowed, color, position)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(position), 0) + 1 FROM statuses))",
        params![id, name, stage.as_str(), dm_allowed, color],
    )?;
    Ok(id)
}

fn validate(conn: &Connection, input: &StatusInput) -> Result<String> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "name",
            "ステータス名を入力してください。",
        )]));
    }
    crate::store::sql::name_free(conn, "statuses", "ステータス", &name, input.id)?;
    Ok(name)
}

impl Ledger {
    pub fn statuses(&self) -> Result<Vec<Status>> {
        list_in(&self.conn)
    }

    /// Adds or edits a status. Retiring keeps it on the customers that have it.
    pub fn save_status(&mut self, input: &StatusInput) -> Result<Status> {
        self.write(Need::Settings, |tx| {
            let name = validate(tx, input)?;
            let id = match input.id {
                Some(id) => {
                    get_in(tx, id)?;
                    tx.execute(
                        "UPDATE statuses SET name = ?2, stage = ?3, dm_allowed = ?4, color = ?5, \
                         retired = ?6 WHERE id = ?1",
                        params![
                            id,
                            name,
                            input.stage.as_str(),
                            input.dm_allowed,
                            input.color,
                            input.retired
                        ],
                    )?;
                    id
                }
                None => insert(tx, &name, input.stage, input.dm_allowed, &input.color)?,
            };
            if input.retired && first_active(&list_in(tx)?).is_err() {
                return Err(LedgerError::Conflict(
                    "すべてのステータスを廃止することはできません。".into(),
                ));
            }
            get_in(tx, id)
        })
    }

    /// Puts the statuses in the given order (the order of the pull-down).
    pub fn reorder_statuses(&mut self, ids: &[i64]) -> Result<Vec<Status>> {
        self.write(Need::Settings, |tx| {
            let existing = list_in(tx)?;
            let mut given = ids.to_vec();
            given.sort_unstable();
            let mut all: Vec<i64> = existing.iter().map(|s| s.id).collect();
            all.sort_unstable();
            if given != all {
                return Err(LedgerError::Conflict(
                    "並べ替えの対象が現在のステータス一覧と一致しません。画面を更新してください。"
                        .into(),
                ));
            }
            for (position, id) in ids.iter().enumerate() {
                tx.execute(
                    "UPDATE statuses SET position = ?2 WHERE id = ?1",
                    params![id, position as i64 + 1],
                )?;
            }
            list_in(tx)
        })
    }
}
