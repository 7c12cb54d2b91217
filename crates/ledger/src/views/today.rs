//! Today (今日): what the office must do so that no customer is forgotten —
//! overdue prospects, next actions due, inspections due this month,
//! birthdays and handover anniversaries, new inquiries without a grade.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::followups::requests::{self, RequestFilter, ServiceRequest};
use crate::record::rules::{self, DISPLAY_NAME as NAME, LAST_CONTACTS, LAST_CONTACT_DAY_JOINED};
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

/// A long list is a task for a segment, not for one morning. The first
/// paint waits for these rows' names, each a read of the customers table
/// somewhere in the file (200 a list cost 0.1 s more than 50 from a cold
/// disk at 100,000 customers).
pub const SECTION_LIMIT: usize = 50;

const LIVING: &str = "c.deleted_at IS NULL AND c.deceased = 0";

/// The customers no list names: trashed, or deceased. Read once per query
/// from their own small index (migration 016), so that a list over tasks,
/// projects or household members never visits the customers table.
const GONE: &str = "(SELECT id FROM customers WHERE deleted_at IS NOT NULL OR deceased = 1)";

/// The trashed customers (a deceased customer's tasks still show).
const TRASHED: &str = "(SELECT id FROM customers WHERE deleted_at IS NOT NULL)";

/// Every list counts its rows in the same pass as it orders them.
const TOTAL: &str = "count(*) OVER () AS total";

const FROM: &str = "FROM customers c JOIN statuses s ON s.id = c.status_id";

/// One list, its names left to `fill_names`: `sql` selects the customer as
/// `id`, the `date`, the `task_id` and what `detail` reads, with `TOTAL`,
/// ordered. At 100,000 customers the lists run on covering indexes
/// (migration 016), and a name for every row would read the whole
/// customers table from disk before the first paint.
fn section(
    conn: &Connection,
    kind: TodayKind,
    sql: &str,
    params: &[Value],
    detail: impl Fn(&rusqlite::Row) -> rusqlite::Result<String>,
) -> Result<TodaySection> {
    let mut stmt = conn.prepare(&format!("{sql} LIMIT {SECTION_LIMIT}"))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let (mut total, mut items) = (0, Vec::new());
    while let Some(r) = rows.next()? {
        total = r.get("total")?;
        items.push(TodayItem {
            kind,
            customer_id: r.get("id")?,
            customer_name: String::new(),
            date: r.get("date")?,
            task_id: r.get("task_id")?,
            request_id: None,
            detail: detail(r)?,
        });
    }
    Ok(TodaySection { kind, total, items })
}

/// The names of the customers the lists show, read in id order (the
/// table's order on disk) once for all lists, for the items without one.
fn fill_names(conn: &Connection, sections: &mut [TodaySection]) -> Result<()> {
    let ids: std::collections::BTreeSet<i64> = sections
        .iter()
        .flat_map(|s| &s.items)
        .filter(|i| i.customer_name.is_empty())
        .map(|i| i.customer_id)
        .collect();
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {NAME} FROM customers c WHERE c.id = ?1"))?;
    let mut names = std::collections::HashMap::new();
    for id in ids {
        names.insert(id, stmt.query_row([id], |r| r.get::<_, String>(0))?);
    }
    for item in sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        if let Some(name) = names.get(&item.customer_id) {
            item.customer_name.clone_from(name);
        }
    }
    Ok(())
}

fn overdue(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let overdue = rules::overdue_by(on, LAST_CONTACT_DAY_JOINED);
    let sql = format!(
        "WITH {LAST_CONTACTS}
         SELECT c.id, {LAST_CONTACT_DAY_JOINED} AS date, NULL AS task_id, c.grade, {} AS days,
                {TOTAL}
         {FROM} LEFT JOIN last_contacts l ON l.customer_id = c.id
         WHERE {LIVING} AND {} ORDER BY c.grade, date, c.id",
        rules::rhythm(),
        overdue.sql
    );
    section(conn, TodayKind::Overdue, &sql, &overdue.params, |r| {
        let (grade, days): (String, i64) = (r.get("grade")?, r.get("days")?);
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
        "SELECT t.customer_id AS id, t.due_on AS date, t.id AS task_id, {detail} AS detail, {TOTAL}
         FROM tasks t LEFT JOIN projects p ON p.id = t.project_id
         WHERE t.kind = '{task_kind}' AND t.done_at IS NULL AND t.due_on <= ?1
           AND t.customer_id NOT IN {TRASHED}
         ORDER BY t.due_on, t.id"
    );
    section(conn, kind, &sql, &[ymd(by)], |r| r.get("detail"))
}

/// The customers and household members born in `on`'s month.
fn birthdays(conn: &Connection, on: NaiveDate) -> Result<TodaySection> {
    let sql = format!(
        "SELECT id, date, NULL AS task_id, who, {TOTAL} FROM (
             SELECT c.id, c.birthday AS date, '' AS who FROM customers c
             WHERE {LIVING} AND substr(c.birthday, 6, 2) = ?1
             UNION ALL
             SELECT m.customer_id, m.birthday,
                    m.name || CASE WHEN m.relation <> '' THEN '（' || m.relation || '）' ELSE '' END
             FROM household_members m
             WHERE substr(m.birthday, 6, 2) = ?1 AND m.customer_id NOT IN {GONE}
         ) ORDER BY substr(date, 9, 2), id"
    );
    let month = [Value::Text(format!("{:02}", on.month()))];
    section(conn, TodayKind::Birthday, &sql, &month, |r| {
        let who: String = r.get("who")?;
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
        "SELECT p.customer_id AS id, p.handover_on AS date, NULL AS task_id, p.title,
                ?2 - CAST(substr(p.handover_on, 1, 4) AS INTEGER) AS years, {TOTAL}
         FROM projects p
         WHERE p.handover_on IS NOT NULL AND substr(p.handover_on, 6, 2) = ?1
           AND CAST(substr(p.handover_on, 1, 4) AS INTEGER) < ?2
           AND p.customer_id NOT IN {GONE}
         ORDER BY substr(p.handover_on, 9, 2), p.customer_id"
    );
    let month = [
        Value::Text(format!("{:02}", on.month())),
        Value::Integer(on.year().into()),
    ];
    section(conn, TodayKind::Anniversary, &sql, &month, |r| {
        let (title, years): (String, i64) = (r.get("title")?, r.get("years")?);
        Ok(format!("{title}・お引渡しから{years}年"))
    })
}

fn ungraded(conn: &Connection) -> Result<TodaySection> {
    let sql = format!(
        "SELECT c.id, substr(c.created_at, 1, 10) AS date, NULL AS task_id,
                s.name AS status, {TOTAL}
         {FROM} WHERE c.deleted_at IS NULL AND s.stage = 'inquiry' AND c.grade IS NULL
         ORDER BY c.created_at DESC, c.id DESC"
    );
    section(conn, TodayKind::Ungraded, &sql, &[], |r| r.get("status"))
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
        let mut sections = vec![
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
        fill_names(conn, &mut sections)?;
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
