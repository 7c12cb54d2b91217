//! Projects (案件): the new builds and renovations a customer contracts, with
//! their dates and amount. A handover schedules the after-care inspections;
//! a contract or handover offers the matching status move.

use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::followups::tasks::{self, TaskKind};
use crate::record::changelog::{self, Change};
use crate::record::customers;
use crate::record::fields::ProjectKind;
use crate::record::validate::parse_date;
use crate::reference::settings;
use crate::reference::statuses::{self, Stage, Status};
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Project {
    pub id: i64,
    pub customer_id: i64,
    pub kind: ProjectKind,
    pub title: String,
    pub amount_yen: Option<i64>,
    pub contract_on: Option<String>,
    pub start_on: Option<String>,
    pub completion_on: Option<String>,
    pub handover_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProjectInput {
    pub id: Option<i64>,
    pub customer_id: i64,
    pub kind: ProjectKind,
    pub title: String,
    pub amount_yen: Option<i64>,
    pub contract_on: Option<String>,
    pub start_on: Option<String>,
    pub completion_on: Option<String>,
    pub handover_on: Option<String>,
}

/// What saving a project did and what it suggests next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProjectSaved {
    pub project: Project,
    /// The status the customer could move to now (contract or OB), if the
    /// customer is not there yet. The UI asks before moving.
    pub offer_status: Option<Status>,
    /// After-care inspections scheduled by this save.
    pub inspections: Vec<String>,
}

const COLUMNS: &str =
    "id, customer_id, kind, title, amount_yen, contract_on, start_on, completion_on, handover_on";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Project> {
    Ok(Project {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        kind: ProjectKind::parse(&r.get::<_, String>(2)?).unwrap_or(ProjectKind::Other),
        title: r.get(3)?,
        amount_yen: r.get(4)?,
        contract_on: r.get(5)?,
        start_on: r.get(6)?,
        completion_on: r.get(7)?,
        handover_on: r.get(8)?,
    })
}

pub(crate) fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Project>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM projects WHERE customer_id = ?1
         ORDER BY coalesce(contract_on, created_at) DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map([customer_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn get_in(conn: &Connection, id: i64) -> Result<Project> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM projects WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(LedgerError::NotFound {
        entity: "案件", id
    })
}

/// The dates in the order a project lives them, with their field names.
const DATE_ORDER: [(&str, &str); 4] = [
    ("contract_on", "契約日"),
    ("start_on", "着工日"),
    ("completion_on", "完成日"),
    ("handover_on", "引渡日"),
];

pub(crate) fn validate(input: &ProjectInput) -> Result<ProjectInput> {
    let mut errors = Vec::new();
    let mut clean = input.clone();
    clean.title = daicho_text::collapse_spaces(&input.title);
    if clean.title.is_empty() {
        errors.push(FieldError::new("title", "案件名を入力してください。"));
    }
    if input.amount_yen.is_some_and(|a| a < 0) {
        errors.push(FieldError::new(
            "amount_yen",
            "金額は0円以上で入力してください。",
        ));
    }
    let raw = [
        &input.contract_on,
        &input.start_on,
        &input.completion_on,
        &input.handover_on,
    ];
    let mut dates: Vec<Option<NaiveDate>> = Vec::new();
    for ((field, label), value) in DATE_ORDER.iter().zip(raw) {
        let text = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
        let date = text.and_then(parse_date);
        if text.is_some() && date.is_none() {
            errors.push(FieldError::new(
                field,
                format!("{label}は正しい日付で入力してください（例: 2026-04-01）。"),
            ));
        }
        dates.push(date);
    }
    // Each date must not come before any earlier stage's date.
    for later in 1..DATE_ORDER.len() {
        let Some(date) = dates[later] else { continue };
        if let Some(earlier) = (0..later)
            .rev()
            .find(|&i| dates[i].is_some_and(|d| d > date))
        {
            errors.push(FieldError::new(
                DATE_ORDER[later].0,
                format!(
                    "{}が{}（{}）より前になっています。",
                    DATE_ORDER[later].1,
                    DATE_ORDER[earlier].1,
                    dates[earlier].expect("found above")
                ),
            ));
        }
    }
    let text = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    clean.contract_on = text(dates[0]);
    clean.start_on = text(dates[1]);
    clean.completion_on = text(dates[2]);
    clean.handover_on = text(dates[3]);
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(LedgerError::Invalid(errors))
    }
}

fn texts(p: &ProjectInput) -> [(&'static str, Option<String>); 7] {
    [
        ("project_kind", Some(p.kind.as_str().to_string())),
        ("project_title", Some(p.title.clone())),
        ("project_amount_yen", p.amount_yen.map(|a| a.to_string())),
        ("project_contract_on", p.contract_on.clone()),
        ("project_start_on", p.start_on.clone()),
        ("project_completion_on", p.completion_on.clone()),
        ("project_handover_on", p.handover_on.clone()),
    ]
}

fn as_input(p: &Project) -> ProjectInput {
    ProjectInput {
        id: Some(p.id),
        customer_id: p.customer_id,
        kind: p.kind,
        title: p.title.clone(),
        amount_yen: p.amount_yen,
        contract_on: p.contract_on.clone(),
        start_on: p.start_on.clone(),
        completion_on: p.completion_on.clone(),
        handover_on: p.handover_on.clone(),
    }
}

/// "3か月点検", "1年点検" …
fn inspection_title(months: u32) -> String {
    if months.is_multiple_of(12) {
        format!("{}年点検", months / 12)
    } else {
        format!("{months}か月点検")
    }
}

/// Replaces the project's open inspections with a schedule from `handover`.
fn schedule_aftercare(
    tx: &Transaction,
    project: &Project,
    handover: NaiveDate,
) -> Result<Vec<String>> {
    tx.execute(
        "DELETE FROM tasks WHERE project_id = ?1 AND kind = 'inspection' AND done_at IS NULL",
        [project.id],
    )?;
    let mut made = Vec::new();
    for months in settings::follow_up(tx)?.aftercare_months {
        let Some(due) = handover.checked_add_months(Months::new(months)) else {
            continue;
        };
        let title = inspection_title(months);
        tasks::insert(
            tx,
            project.customer_id,
            TaskKind::Inspection,
            due,
            &title,
            Some(project.id),
            None,
        )?;
        made.push(format!("{title}（{}）", due.format("%Y-%m-%d")));
    }
    Ok(made)
}

/// The status to offer after a contract or handover, if the customer is not
/// already at or past that stage.
fn offer_for(
    tx: &Transaction,
    project: &Project,
    current: Stage,
    handover: bool,
) -> Result<Option<Status>> {
    let active: Vec<Status> = statuses::list_in(tx)?
        .into_iter()
        .filter(|s| !s.retired)
        .collect();
    if handover {
        if current == Stage::Owner {
            return Ok(None);
        }
        let word = match project.kind {
            ProjectKind::NewBuild => "新築",
            ProjectKind::Renovation => "リフォーム",
            ProjectKind::Other => "",
        };
        let owners = active.iter().filter(|s| s.stage == Stage::Owner);
        let matching = owners
            .clone()
            .find(|s| !word.is_empty() && s.name.contains(word));
        return Ok(matching.or_else(|| owners.clone().next()).cloned());
    }
    if matches!(current, Stage::Contract | Stage::Owner) {
        return Ok(None);
    }
    Ok(active.into_iter().find(|s| s.stage == Stage::Contract))
}

/// Rewrites project ?10 from the values `write_row` binds: the fields as
/// ?1 … ?8 and the time of the save as ?9.
const UPDATE_ROW: &str = "UPDATE projects
    SET customer_id = ?1, kind = ?2, title = ?3, amount_yen = ?4, contract_on = ?5,
        start_on = ?6, completion_on = ?7, handover_on = ?8, updated_at = ?9
    WHERE id = ?10";

/// Adds a project from the same values, ?9 stamping both of its times, ?10
/// its id.
const INSERT_ROW: &str = "INSERT INTO projects (id, customer_id, kind, title, amount_yen,
        contract_on, start_on, completion_on, handover_on, updated_at, created_at)
    VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";

/// Writes the project's row (a new one, or over `before`) and returns its id.
fn write_row(tx: &Transaction, clean: &ProjectInput, before: Option<&Project>) -> Result<i64> {
    let at = now();
    let values = params![
        clean.customer_id,
        clean.kind.as_str(),
        clean.title,
        clean.amount_yen,
        clean.contract_on,
        clean.start_on,
        clean.completion_on,
        clean.handover_on,
        at
    ];
    let (sql, id) = match before {
        Some(b) => (UPDATE_ROW, b.id),
        None => (INSERT_ROW, ids::next_id(tx, "projects")?),
    };
    tx.execute(
        sql,
        rusqlite::params_from_iter(values.iter().copied().chain([&id as &dyn rusqlite::ToSql])),
    )?;
    Ok(id)
}

/// Logs each field that differs from `before` (every field of a new project).
fn log_changes(
    tx: &Transaction,
    actor: &Actor,
    project: &Project,
    before: Option<&Project>,
) -> Result<()> {
    let old = before.map(as_input);
    let changes: Vec<Change> = texts(&as_input(project))
        .into_iter()
        .zip(
            old.as_ref()
                .map(texts)
                .map(|t| t.map(|(_, v)| v))
                .unwrap_or_default(),
        )
        .filter(|((_, new), old)| new != old)
        .map(|((field, new), old)| Change::new(field, old, new))
        .collect();
    changelog::record(
        tx,
        actor,
        "project",
        project.id,
        Some(project.customer_id),
        &changes,
    )
}

/// Saves a validated project inside the caller's transaction: the change
/// log, the after-care schedule on a (new) handover, and the status offer.
pub(crate) fn save_in(
    tx: &Transaction,
    actor: &Actor,
    clean: &ProjectInput,
) -> Result<ProjectSaved> {
    let customer = customers::get_in(tx, clean.customer_id)?;
    let before = match clean.id {
        Some(id) => Some(get_in(tx, id)?),
        None => None,
    };
    if before
        .as_ref()
        .is_some_and(|b| b.customer_id != clean.customer_id)
    {
        return Err(LedgerError::Conflict("案件の顧客は変更できません。".into()));
    }
    let id = write_row(tx, clean, before.as_ref())?;
    let project = get_in(tx, id)?;
    log_changes(tx, actor, &project, before.as_ref())?;
    let old_handover = before.as_ref().and_then(|b| b.handover_on.clone());
    let handover_moved = project.handover_on.is_some() && project.handover_on != old_handover;
    let contract_new = project.contract_on.is_some()
        && before
            .as_ref()
            .and_then(|b| b.contract_on.clone())
            .is_none();
    let inspections = match project.handover_on.as_deref().and_then(parse_date) {
        Some(handover) if handover_moved => schedule_aftercare(tx, &project, handover)?,
        _ => Vec::new(),
    };
    let offer_status = if handover_moved || contract_new {
        offer_for(tx, &project, customer.stage, handover_moved)?
    } else {
        None
    };
    customers::touch(tx, project.customer_id)?;
    Ok(ProjectSaved {
        project,
        offer_status,
        inspections,
    })
}

impl Ledger {
    pub fn projects(&self, customer_id: i64) -> Result<Vec<Project>> {
        customers::get_in(&self.conn, customer_id)?;
        of_customer(&self.conn, customer_id)
    }

    /// Saves a project. A newly set or moved handover (re)schedules the
    /// after-care inspections that are still open.
    pub fn save_project(&mut self, actor: &Actor, input: &ProjectInput) -> Result<ProjectSaved> {
        let clean = validate(input)?;
        self.write(Need::Customers, |tx| save_in(tx, actor, &clean))
    }

    pub fn delete_project(&mut self, actor: &Actor, id: i64) -> Result<()> {
        self.write(Need::Customers, |tx| {
            let project = get_in(tx, id)?;
            tx.execute("DELETE FROM projects WHERE id = ?1", [id])?;
            changelog::record(
                tx,
                actor,
                "project",
                id,
                Some(project.customer_id),
                &[Change::new(
                    "project_deleted",
                    Some(project.title.clone()),
                    None,
                )],
            )?;
            customers::touch(tx, project.customer_id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(dates: [Option<&str>; 4]) -> ProjectInput {
        ProjectInput {
            id: None,
            customer_id: 1,
            kind: ProjectKind::NewBuild,
            title: "山田様邸 新築工事".into(),
            amount_yen: Some(30_000_000),
            contract_on: dates[0].map(String::from),
            start_on: dates[1].map(String::from),
            completion_on: dates[2].map(String::from),
            handover_on: dates[3].map(String::from),
        }
    }

    #[test]
    fn dates_must_follow_the_project_order() {
        assert!(validate(&input([
            Some("2026-01-10"),
            Some("2026-03-01"),
            None,
            Some("2026-09-30")
        ]))
        .is_ok());
        let Err(LedgerError::Invalid(errors)) =
            validate(&input([Some("2026-05-10"), None, None, Some("2026-04-30")]))
        else {
            panic!("a handover before the contract must be refused")
        };
        assert_eq!(errors[0].field, "handover_on");
        assert!(
            errors[0].message.contains("契約日（2026-05-10）より前"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn negative_amounts_and_bad_dates_are_refused() {
        let mut bad = input([Some("2026-02-30"), None, None, None]);
        bad.amount_yen = Some(-1);
        let Err(LedgerError::Invalid(errors)) = validate(&bad) else {
            panic!()
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["amount_yen", "contract_on"]);
    }

    #[test]
    fn inspection_titles() {
        assert_eq!(inspection_title(3), "3か月点検");
        assert_eq!(inspection_title(12), "1年点検");
        assert_eq!(inspection_title(120), "10年点検");
    }
}
