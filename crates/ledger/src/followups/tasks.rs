//! Dated follow-ups: the next action a contact leads to, and the after-care
//! inspections a handover schedules. A task is open until it is done; done
//! tasks stay as history.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::customers;
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    NextAction,
    Inspection,
}

impl TaskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NextAction => "next_action",
            Self::Inspection => "inspection",
        }
    }

    fn parse(code: &str) -> Self {
        if code == "inspection" {
            Self::Inspection
        } else {
            Self::NextAction
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Task {
    pub id: i64,
    pub customer_id: i64,
    pub kind: TaskKind,
    /// YYYY-MM-DD
    pub due_on: String,
    pub title: String,
    pub project_id: Option<i64>,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
}

pub(crate) fn insert(
    tx: &Transaction,
    customer_id: i64,
    kind: TaskKind,
    due_on: NaiveDate,
    title: &str,
    project_id: Option<i64>,
    contact_id: Option<i64>,
) -> Result<i64> {
    let id = ids::next_id(tx, "tasks")?;
    tx.prepare_cached(
        "INSERT INTO tasks (id, customer_id, kind, due_on, title, project_id, contact_id, \
         created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        customer_id,
        kind.as_str(),
        due_on.format("%Y-%m-%d").to_string(),
        title,
        project_id,
        contact_id,
        now()
    ])?;
    Ok(id)
}

/// Marks the customer's open tasks of `kind` due on or before `by` as done.
pub(crate) fn complete_due(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    kind: TaskKind,
    by: NaiveDate,
) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE tasks SET done_at = ?4, done_by = ?5
         WHERE customer_id = ?1 AND kind = ?2 AND due_on <= ?3 AND done_at IS NULL",
        params![
            customer_id,
            kind.as_str(),
            by.format("%Y-%m-%d").to_string(),
            now(),
            actor.staff_id
        ],
    )?)
}

const COLUMNS: &str =
    "t.id, t.customer_id, t.kind, t.due_on, t.title, t.project_id, t.done_at, s.name";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Task> {
    Ok(Task {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        kind: TaskKind::parse(&r.get::<_, String>(2)?),
        due_on: r.get(3)?,
        title: r.get(4)?,
        project_id: r.get(5)?,
        done_at: r.get(6)?,
        done_by: r.get(7)?,
    })
}

pub(crate) fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Task>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tasks t LEFT JOIN staff s ON s.id = t.done_by
         WHERE t.customer_id = ?1 ORDER BY t.done_at IS NOT NULL, t.due_on, t.id"
    ))?;
    let rows = stmt
        .query_map([customer_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Ledger {
    /// The customer's follow-ups: open ones first, by due date.
    pub fn tasks(&self, customer_id: i64) -> Result<Vec<Task>> {
        customers::get_in(&self.conn, customer_id)?;
        of_customer(&self.conn, customer_id)
    }

    /// Marks one follow-up done (or open again, to undo a mistaken click).
    pub fn set_task_done(&mut self, actor: &Actor, id: i64, done: bool) -> Result<Task> {
        self.write(Need::Customers, |tx| {
            let customer: Option<i64> = tx
                .query_row("SELECT customer_id FROM tasks WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            let customer = customer.ok_or(LedgerError::NotFound {
                entity: "フォロー予定",
                id,
            })?;
            let (at, by) = if done {
                (Some(now()), actor.staff_id)
            } else {
                (None, None)
            };
            tx.execute(
                "UPDATE tasks SET done_at = ?2, done_by = ?3 WHERE id = ?1",
                params![id, at, by],
            )?;
            customers::touch(tx, customer)?;
            Ok(of_customer(tx, customer)?
                .into_iter()
                .find(|t| t.id == id)
                .expect("the task was just updated"))
        })
    }
}
