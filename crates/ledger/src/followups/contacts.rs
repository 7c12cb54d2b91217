//! Contact history (対応履歴): every visit, call, e-mail or inspection with its
//! kind, time, staff and note, and the next action it leads to. Logging a
//! contact settles the follow-ups it answers.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::followups::tasks::{self, TaskKind};
use crate::record::customers;
use crate::record::rules::DISPLAY_NAME;
use crate::record::validate::parse_date;
use crate::store::access::Need;
use crate::store::calendar::{self, end_of_month};
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};
use crate::store::sql;

/// Where the app and the CLI take today's date from (the office's calendar).
pub use crate::store::calendar::local_today;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ContactKind {
    pub id: i64,
    pub name: String,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ContactKindInput {
    pub id: Option<i64>,
    pub name: String,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub kind_id: i64,
    pub kind: String,
    /// Local time, YYYY-MM-DD HH:MM.
    pub at: String,
    pub staff_name: Option<String>,
    pub note: String,
}

/// A contact as the form sends it, with the optional next action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ContactInput {
    pub customer_id: i64,
    pub kind_id: i64,
    /// YYYY-MM-DD HH:MM (a `T` between date and time is accepted).
    pub at: String,
    pub note: String,
    /// YYYY-MM-DD
    pub next_on: Option<String>,
    pub next_note: String,
}

/// One contact as the work report (日報) lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ContactLine {
    pub at: String,
    pub staff_name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub kind: String,
    pub note: String,
}

/// The kind whose contacts settle after-care inspections.
pub const INSPECTION_KIND: &str = "点検";

pub(crate) fn kinds_in(conn: &Connection) -> Result<Vec<ContactKind>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, retired FROM contact_kinds ORDER BY position, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ContactKind {
                id: r.get(0)?,
                name: r.get(1)?,
                retired: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn kind_in(conn: &Connection, id: i64) -> Result<Option<ContactKind>> {
    Ok(kinds_in(conn)?.into_iter().find(|k| k.id == id))
}

/// Parses the time the office typed; contacts record what happened, so a
/// time later than today is refused.
fn parse_at(value: &str, today: NaiveDate) -> std::result::Result<NaiveDateTime, String> {
    let value = value.trim().replace('T', " ");
    let at = NaiveDateTime::parse_from_str(&value, "%Y-%m-%d %H:%M").map_err(|_| {
        "対応日時は正しい日時で入力してください（例: 2026-11-23 14:00）。".to_string()
    })?;
    if at.date() > today {
        return Err(
            "対応日時が未来になっています。予定は「次回の対応」に入力してください。".into(),
        );
    }
    Ok(at)
}

fn validate(
    conn: &Connection,
    input: &ContactInput,
    today: NaiveDate,
) -> Result<(ContactKind, NaiveDateTime, Option<NaiveDate>)> {
    let mut errors = Vec::new();
    let kind = kind_in(conn, input.kind_id)?.filter(|k| !k.retired);
    if kind.is_none() {
        errors.push(FieldError::new("kind_id", "対応の種類を選んでください。"));
    }
    let at = parse_at(&input.at, today)
        .map_err(|m| errors.push(FieldError::new("at", m)))
        .ok();
    let next = match input.next_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match (parse_date(text), at) {
            (None, _) => {
                errors.push(FieldError::new(
                    "next_on",
                    "次回の日付は正しい日付で入力してください（例: 2026-12-01）。",
                ));
                None
            }
            (Some(next), Some(at)) if next < at.date() => {
                errors.push(FieldError::new(
                    "next_on",
                    "次回の日付が対応日より前になっています。",
                ));
                None
            }
            (next, _) => next,
        },
    };
    match (kind, at) {
        (Some(kind), Some(at)) if errors.is_empty() => Ok((kind, at, next)),
        _ => Err(LedgerError::Invalid(errors)),
    }
}

/// Logs one contact inside the caller's transaction. Next actions due by the
/// contact's day are done with it; an inspection contact also settles the
/// inspections due by the end of its month.
pub(crate) fn log_in(
    tx: &Transaction,
    actor: &Actor,
    input: &ContactInput,
    today: NaiveDate,
) -> Result<i64> {
    customers::get_in(tx, input.customer_id)?;
    let (kind, at, next) = validate(tx, input, today)?;
    let contact_id = ids::next_id(tx, "contacts")?;
    tx.execute(
        "INSERT INTO contacts (id, customer_id, kind_id, at, staff_id, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            contact_id,
            input.customer_id,
            kind.id,
            at.format("%Y-%m-%d %H:%M").to_string(),
            actor.staff_id,
            input.note.trim(),
            now()
        ],
    )?;
    let day = at.date();
    tasks::complete_due(tx, actor, input.customer_id, TaskKind::NextAction, day)?;
    if kind.name == INSPECTION_KIND {
        tasks::complete_due(
            tx,
            actor,
            input.customer_id,
            TaskKind::Inspection,
            end_of_month(day),
        )?;
    }
    if let Some(next) = next {
        let title = match input.next_note.trim() {
            "" => "次回の対応",
            note => note,
        };
        tasks::insert(
            tx,
            input.customer_id,
            TaskKind::NextAction,
            next,
            title,
            None,
            Some(contact_id),
        )?;
    }
    customers::touch(tx, input.customer_id)?;
    Ok(contact_id)
}

fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.customer_id, k.kind_id, ck.name, k.at, s.name, k.note
         FROM contacts k JOIN contact_kinds ck ON ck.id = k.kind_id
         LEFT JOIN staff s ON s.id = k.staff_id
         WHERE k.customer_id = ?1 ORDER BY k.at DESC, k.id DESC",
    )?;
    let rows = stmt
        .query_map([customer_id], |r| {
            Ok(Contact {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                kind_id: r.get(2)?,
                kind: r.get(3)?,
                at: r.get(4)?,
                staff_name: r.get(5)?,
                note: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Ledger {
    pub fn contact_kinds(&self) -> Result<Vec<ContactKind>> {
        kinds_in(&self.conn)
    }

    pub fn save_contact_kind(&mut self, input: &ContactKindInput) -> Result<Vec<ContactKind>> {
        let name = daicho_text::collapse_spaces(&input.name);
        if name.is_empty() {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "name",
                "種類の名前を入力してください。",
            )]));
        }
        self.write(Need::Settings, |tx| {
            crate::store::sql::name_free(tx, "contact_kinds", "対応の種類", &name, input.id)?;
            match input.id {
                Some(id) => {
                    let n = tx.execute(
                        "UPDATE contact_kinds SET name = ?2, retired = ?3 WHERE id = ?1",
                        params![id, name, input.retired],
                    )?;
                    sql::found(n, "対応の種類", id)?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO contact_kinds (id, name, retired, position)
                         VALUES (?1, ?2, ?3,
                                 (SELECT coalesce(max(position), 0) + 1 FROM contact_kinds))",
                        params![ids::next_id(tx, "contact_kinds")?, name, input.retired],
                    )?;
                }
            }
            kinds_in(tx)
        })
    }

    /// Logs a contact as of `today` (the office's local date).
    pub fn log_contact(
        &mut self,
        actor: &Actor,
        input: &ContactInput,
        today: NaiveDate,
    ) -> Result<Contact> {
        let id = self.write(Need::Customers, |tx| log_in(tx, actor, input, today))?;
        of_customer(&self.conn, input.customer_id)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(LedgerError::NotFound {
                entity: "対応履歴",
                id,
            })
    }

    pub fn contacts(&self, customer_id: i64) -> Result<Vec<Contact>> {
        customers::get_in(&self.conn, customer_id)?;
        of_customer(&self.conn, customer_id)
    }

    /// Every contact between two days (inclusive), in time order.
    pub fn contacts_between(&self, from: &str, to: &str) -> Result<Vec<ContactLine>> {
        calendar::period(parse_date(from), parse_date(to))?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT k.at, coalesce(s.name, '（担当なし）'), c.id, {DISPLAY_NAME}, ck.name, k.note
             FROM contacts k JOIN customers c ON c.id = k.customer_id
             JOIN contact_kinds ck ON ck.id = k.kind_id
             LEFT JOIN staff s ON s.id = k.staff_id
             WHERE substr(k.at, 1, 10) BETWEEN ?1 AND ?2 ORDER BY k.at, k.id"
        ))?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(ContactLine {
                    at: r.get(0)?,
                    staff_name: r.get(1)?,
                    customer_id: r.get(2)?,
                    customer_name: r.get(3)?,
                    kind: r.get(4)?,
                    note: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Removes a contact logged by mistake. Follow-ups it settled stay done.
    pub fn delete_contact(&mut self, id: i64) -> Result<()> {
        self.write(Need::Customers, |tx| {
            let customer: Option<i64> = tx
                .query_row(
                    "SELECT customer_id FROM contacts WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let customer = customer.ok_or(LedgerError::NotFound {
                entity: "対応履歴",
                id,
            })?;
            tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
            customers::touch(tx, customer)
        })
    }
}
