//! The change log: one row per changed field of every write, with who, when
//! and from where. The customer's history tab reads it; import undo replays it.

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::store::error::Result;
use crate::store::ids;
use crate::store::ledger::{now, Actor, Source};
use crate::store::sql;

/// One field's change, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    pub fn new(field: &'static str, old: Option<String>, new: Option<String>) -> Self {
        Self { field, old, new }
    }
}

pub(crate) fn record(
    tx: &Transaction,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    customer_id: Option<i64>,
    changes: &[Change],
) -> Result<()> {
    let at = now();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO change_log (id, changed_at, staff_id, source, batch_id, entity, entity_id, \
         customer_id, field, old_value, new_value) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for change in changes {
        stmt.execute(params![
            ids::next_id(tx, "change_log")?,
            at,
            actor.staff_id,
            actor.source.as_str(),
            actor.batch_id,
            entity,
            entity_id,
            customer_id,
            change.field,
            change.old,
            change.new
        ])?;
    }
    Ok(())
}

/// Records changes to a customer's own fields.
pub(crate) fn record_customer(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    changes: &[Change],
) -> Result<()> {
    record(
        tx,
        actor,
        "customer",
        customer_id,
        Some(customer_id),
        changes,
    )
}

/// The customer's timeline: field changes (projects included), status moves,
/// DMs sent and contacts logged, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HistoryEntry {
    pub at: String,
    pub staff_name: Option<String>,
    pub source: Source,
    pub kind: HistoryKind,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Field,
    Status,
    /// A DM export that included the customer.
    Mailing,
    /// A logged contact; `field` is its kind, `note` what was said.
    Contact,
}

/// A customer's field changes and status moves, newest first.
const HISTORY_SQL: &str = "SELECT at, staff_name, source, kind, field, old_value, new_value, note FROM (
             SELECT cl.changed_at AS at, s.name AS staff_name, cl.source, 'field' AS kind, cl.field,
                    cl.old_value, cl.new_value, '' AS note, cl.id AS seq
             FROM change_log cl LEFT JOIN staff s ON s.id = cl.staff_id
             WHERE cl.customer_id = ?1 AND cl.field <> 'status_id'
             UNION ALL
             SELECT sh.changed_at, s.name, 'user', 'status', 'status', f.name, t.name,
                    trim(sh.note || CASE WHEN sh.lost_reason <> '' THEN ' 失注理由：' || sh.lost_reason ELSE '' END), sh.id
             FROM status_history sh
             JOIN statuses t ON t.id = sh.to_status_id
             LEFT JOIN statuses f ON f.id = sh.from_status_id
             LEFT JOIN staff s ON s.id = sh.staff_id
             WHERE sh.customer_id = ?1
             UNION ALL
             SELECT m.exported_at, s.name, 'user', 'mailing', 'mailing', NULL, m.file_name, m.campaign, m.id
             FROM mailing_recipients mr JOIN mailings m ON m.id = mr.mailing_id
             LEFT JOIN staff s ON s.id = m.staff_id
             WHERE mr.customer_id = ?1
             UNION ALL
             SELECT strftime('%Y-%m-%dT%H:%M:%fZ', k.at, 'utc'), s.name, 'user', 'contact', ck.name, NULL, NULL, k.note, k.id
             FROM contacts k JOIN contact_kinds ck ON ck.id = k.kind_id
             LEFT JOIN staff s ON s.id = k.staff_id
             WHERE k.customer_id = ?1
         ) ORDER BY at DESC, kind, seq DESC";

pub(crate) fn history(conn: &Connection, customer_id: i64) -> Result<Vec<HistoryEntry>> {
    let rows = sql::rows(conn, HISTORY_SQL, [customer_id], |r| {
        let source: String = r.get(2)?;
        let kind: String = r.get(3)?;
        Ok(HistoryEntry {
            at: r.get(0)?,
            staff_name: r.get(1)?,
            source: match source.as_str() {
                "import" => Source::Import,
                "merge" => Source::Merge,
                "system" => Source::System,
                _ => Source::User,
            },
            kind: match kind.as_str() {
                "status" => HistoryKind::Status,
                "mailing" => HistoryKind::Mailing,
                "contact" => HistoryKind::Contact,
                _ => HistoryKind::Field,
            },
            field: r.get(4)?,
            old_value: r.get(5)?,
            new_value: r.get(6)?,
            note: r.get(7)?,
        })
    })?;
    Ok(rows)
}
