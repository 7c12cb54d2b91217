//! Today (今日): what the office must do so that no customer is forgotten —
//! overdue prospects, next actions due, inspections due this month,
//! birthdays and handover anniversaries, new inquiries without a grade.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::followups::requests::{self, RequestFilter, ServiceRequest};
use crate::record::rules::{self, DISPLAY_NAME as NAME, LAST_CONTACT_DAY};
use crate::store::calendar::{end_of_month, ymd};
use crate::store::error::Result;
use crate::store::ledger::Ledger;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TodayKind {
    /// A graded prospect whose last contact is older than the grade's rhythm.
    Overdue,
    NextAction,
    Inspection,
    Birthday,
    Anniversary,
    /// An inquiry-stage customer with no grade yet.
    Ungraded,
    /// An open after-care request past its due date.
    RequestOverdue,
    /// An open after-care request assigned to the staff member at this PC.
    RequestMine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TodayItem {
    pub kind: TodayKind,
    pub customer_id: i64,
    pub customer_name: String,
    /// The date that puts the item here: due date, last contact, birthday …
    pub date: Option<String>,
    pub detail: String,
    /// Set for next actions and inspections, which can be completed here.
    pub task_id: Option<i64>,
    /// Set for after-care requests, which open from here.
    pub request_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TodaySection {
    pub kind: TodayKind,
    /// All items of this kind; `items` holds at most `SECTION_LIMIT`.
    pub total: u32,
    pub items: Vec<TodayItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Today {
    /// YYYY-MM-DD
    pub on: String,
    pub sections: Vec<TodaySection>,
    /// Items that need doing, for the count on the navigation. Birthdays
    /// and anniversaries are occasions, not tasks, and are not counted.
    pub due: u32,
}

/// A long list is a task for a segment, not for one morning.
pub const SECTION_LIMIT: usize = 200;

const LIVING: &str = "c.deleted_at IS NULL AND c.deceased = 0";

const FROM: &str = "FROM customers c JOIN statuses s ON s.id = c.status_id";

fn section(
    conn: &Connection,
    kind: TodayKind,
    sql: &str,
    params: &[Value],
    detail: impl Fn(&rusqlite::Row) -> rusqlite::Result<String>,
) -> Result<TodaySection> {
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM ({sql})"),
        rusqlite::params_from_iter(params),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!("{sql} LIMIT {SECTION_LIMIT}"))?;
    let items = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            Ok(TodayItem {
                kind,
                customer_id: r.get(0)?,
                customer_name: r.get(1)?,
                date: r.get(2)?,
                task_id: r.get(3)?,
                request_id: None,
                detail: detail(r)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(TodaySection { kind, total, items })
}

fn overdue(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let overdue = rules::overdue(on);
    let sql = format!(
        "SELECT c.id, {NAME}, {LAST_CONTACT_DAY}, NULL, c.grade, {} {FROM}
         WHERE {LIVING} AND {} ORDER BY c.grade, 3, c.id",
        rules::rhythm(),
        overdue.sql
    );
    section(conn, TodayKind::Overdue, &sql, &overdue.params, |r| {
        let (grade, days): (String, i64) = (r.get(4)?, r.get(5)?);
        Ok(format!("{grade}ランク（{days}日ごと）"))
    })
}

/// Open tasks of `kind` due by `by`.
fn tasks_due(conn: &Connection, kind: TodayKind, by: NaiveDate) -> Result<TodaySection> {
    let (task_kind, detail) = match kind {
        TodayKind::Inspection => ("inspection", "t.title || coalesce('・' || p.title, '')"),
        _ => ("next_action", "t.title"),
    };
    let sql = format!(
        "SELECT c.id, {NAME}, t.due_on, t.id, {detail} {FROM}
         JOIN tasks t ON t.customer_id = c.id LEFT JOIN projects p ON p.id = t.project_id
         WHERE c.deleted_at IS NULL AND t.kind = '{task_kind}' AND t.done_at IS NULL
           AND t.due_on <= ?1
         ORDER BY t.due_on, t.id"
    );
    section(conn, kind, &sql, &[ymd(by)], |r| r.get(4))
}

/// The customers and household members born in `on`'s month.
fn birthdays(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let sql = format!(
        "SELECT id, name, birthday, NULL, who FROM (
             SELECT c.id, {NAME} AS name, c.birthday, '' AS who {FROM}
             WHERE {LIVING} AND substr(c.birthday, 6, 2) = ?1
             UNION ALL
             SELECT c.id, {NAME}, m.birthday,
                    m.name || CASE WHEN m.relation <> '' THEN '（' || m.relation || '）' ELSE '' END
             {FROM} JOIN household_members m ON m.customer_id = c.id
             WHERE {LIVING} AND substr(m.birthday, 6, 2) = ?1
         ) ORDER BY substr(birthday, 9, 2), id"
    );
    let month = [Value::Text(format!("{:02}", on.month()))];
    section(conn, TodayKind::Birthday, &sql, &month, |r| {
        let who: String = r.get(4)?;
        Ok(if who.is_empty() {
            "ご本人".to_string()
        } else {
            who
        })
    })
}

/// Handovers in `on`'s month of an earlier year.
fn anniversaries(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let sql = format!(
        "SELECT c.id, {NAME}, p.handover_on, NULL, p.title,
                ?2 - CAST(substr(p.handover_on, 1, 4) AS INTEGER)
         {FROM} JOIN projects p ON p.customer_id = c.id
         WHERE {LIVING} AND substr(p.handover_on, 6, 2) = ?1
           AND CAST(substr(p.handover_on, 1, 4) AS INTEGER) < ?2
         ORDER BY substr(p.handover_on, 9, 2), c.id"
    );
    let month = [
        Value::Text(format!("{:02}", on.month())),
        Value::Integer(on.year().into()),
    ];
    section(conn, TodayKind::Anniversary, &sql, &month, |r| {
        let (title, years): (String, i64) = (r.get(4)?, r.get(5)?);
        Ok(format!("{title}・お引渡しから{years}年"))
    })
}

fn ungraded(conn: &Connection) -> Result<TodaySection> {
    let sql = format!(
        "SELECT c.id, {NAME}, substr(c.created_at, 1, 10), NULL, s.name {FROM}
         WHERE c.deleted_at IS NULL AND s.stage = 'inquiry' AND c.grade IS NULL
         ORDER BY c.created_at DESC, c.id DESC"
    );
    section(conn, TodayKind::Ungraded, &sql, &[], |r| r.get(4))
}

/// Open requests as a Today section, items linked to their request.
fn request_section(kind: TodayKind, requests: Vec<ServiceRequest>) -> TodaySection {
    let total = requests.len() as u32;
    let items = requests
        .into_iter()
        .take(SECTION_LIMIT)
        .map(|r| TodayItem {
            kind,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            date: r.due_on.or(Some(r.received_on)),
            detail: format!("{}・{}（{}）", r.category, r.complaint, r.status.label()),
            task_id: None,
            request_id: Some(r.id),
        })
        .collect();
    TodaySection { kind, total, items }
}

fn requests_overdue(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let filter = RequestFilter {
        overdue: true,
        ..RequestFilter::default()
    };
    Ok(request_section(
        TodayKind::RequestOverdue,
        requests::list_in(conn, &filter, on)?,
    ))
}

/// The open requests of the staff member acting (none: an empty section).
fn requests_mine(conn: &Connection, on: NaiveDate, me: Option<i64>) -> Result<TodaySection> {
    let mine = match me {
        Some(staff_id) => requests::list_in(
            conn,
            &RequestFilter {
                open: true,
                staff_id: Some(staff_id),
                ..RequestFilter::default()
            },
            on,
        )?,
        None => Vec::new(),
    };
    Ok(request_section(TodayKind::RequestMine, mine))
}

impl Ledger {
    /// The Today lists as of `on` (the office's local date).
    pub fn today(&self, on: NaiveDate) -> Result<Today> {
        let conn = &self.conn;
        let sections = vec![
            overdue(conn, on)?,
            tasks_due(conn, TodayKind::NextAction, on)?,
            // Inspections are planned by the month: all of this month's show.
            tasks_due(conn, TodayKind::Inspection, end_of_month(on))?,
            // Birthdays are for the roles that see them (`record::sensitive`).
            match self.sees_sensitive()? {
                true => birthdays(conn, on)?,
                false => TodaySection {
                    kind: TodayKind::Birthday,
                    total: 0,
                    items: Vec::new(),
                },
            },
            anniversaries(conn, on)?,
            ungraded(conn)?,
            requests_overdue(conn, on)?,
            requests_mine(conn, on, self.acting().and_then(|a| a.staff_id))?,
        ];
        let due = sections
            .iter()
            // A request of one's own is counted when it is overdue, not twice.
            .filter(|s| {
                !matches!(
                    s.kind,
                    TodayKind::Birthday | TodayKind::Anniversary | TodayKind::RequestMine
                )
            })
            .map(|s| s.total)
            .sum();
        Ok(Today {
            on: on.format("%Y-%m-%d").to_string(),
            sections,
            due,
        })
    }
}
