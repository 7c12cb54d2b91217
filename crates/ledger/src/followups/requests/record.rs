//! Writing requests: receiving, editing and assigning, moving the status,
//! closing with a cause. Each write logs what changed, field by field, in
//! the customer's history.

use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use super::{
    get_in, lists, log, read_channel, source_contact, RequestChannel, RequestList, RequestStatus,
    ServiceRequest, Urgency,
};
use crate::followups::contacts::INSPECTION_KIND;
use crate::record::changelog::Change;
use crate::record::customers;
use crate::record::validate::parse_date;
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};
use crate::store::sql;

/// A request as the form sends it (new, or edited while open).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RequestInput {
    pub customer_id: i64,
    pub project_id: Option<i64>,
    /// The クレーム or 点検 contact it is made from: its day and note fill
    /// an empty received date and complaint.
    pub contact_id: Option<i64>,
    /// YYYY-MM-DD; empty takes the contact's day.
    pub received_on: String,
    pub channel: RequestChannel,
    pub category_id: i64,
    pub complaint: String,
    pub urgency: Urgency,
    pub staff_id: Option<i64>,
    pub due_on: Option<String>,
    pub partner_id: Option<i64>,
    pub cost_yen: Option<i64>,
}

/// What is recorded when a request is done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RequestClose {
    pub cause_id: i64,
    /// What was done.
    pub resolution: String,
    pub partner_id: Option<i64>,
    pub cost_yen: Option<i64>,
    /// 1 to 5.
    pub satisfaction: Option<u8>,
    /// YYYY-MM-DD; empty is `today`.
    pub closed_on: Option<String>,
}

fn invalid(field: &str, message: impl Into<String>) -> LedgerError {
    LedgerError::Invalid(vec![FieldError::new(field, message)])
}

/// A day typed in `field`, not after `today`.
fn no_staff(id: i64) -> String {
    format!("担当者（ID {}）はいません。", ids::display(id))
}

fn past_day(field: &str, label: &str, text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let day = parse_date(text.trim()).ok_or_else(|| {
        invalid(
            field,
            format!("{label}は正しい日付で入力してください（例: 2026-04-01）: 「{text}」"),
        )
    })?;
    if day > today {
        return Err(invalid(
            field,
            format!("{label}（{day}）が未来になっています。"),
        ));
    }
    Ok(day)
}

/// An entry of `list` that is in use, or the one the request already has
/// (`kept`): retiring a partner must not freeze the requests that name it.
fn entry(
    conn: &Connection,
    list: RequestList,
    field: &str,
    id: i64,
    kept: Option<i64>,
) -> Result<()> {
    match lists::active(conn, list, id)? {
        Some(_) => Ok(()),
        None if kept == Some(id) => Ok(()),
        None => Err(invalid(
            field,
            format!(
                "{}（ID {}）は一覧にありません。",
                list.label(),
                ids::display(id)
            ),
        )),
    }
}

/// Checks the references of `input` (customer, contact, project, staff,
/// lists) and fills what the contact gives. Returns the cleaned input with
/// its received day.
fn validate(
    conn: &Connection,
    input: &RequestInput,
    today: NaiveDate,
    before: Option<&ServiceRequest>,
) -> Result<RequestInput> {
    customers::get_in(conn, input.customer_id)?;
    let mut clean = input.clone();
    clean.complaint = input.complaint.trim().to_string();
    if let Some(contact_id) = input.contact_id {
        let (customer, kind, day, note) = source_contact(conn, contact_id)?;
        if customer != input.customer_id {
            return Err(invalid("contact_id", "別の顧客の対応履歴です。"));
        }
        if clean.received_on.trim().is_empty() {
            clean.received_on = day;
        }
        if clean.complaint.is_empty() {
            clean.complaint = note;
        }
        if kind == INSPECTION_KIND && input.channel == RequestChannel::Phone {
            clean.channel = RequestChannel::Inspection;
        }
    }
    let received = past_day("received_on", "受付日", &clean.received_on, today)?;
    clean.received_on = received.to_string();
    let kept_category = before.map(|b| b.category_id);
    let category = input.category_id;
    entry(
        conn,
        RequestList::Category,
        "category_id",
        category,
        kept_category,
    )?;
    check_refs(conn, input, before.and_then(|b| b.partner_id))?;
    clean.due_on = match input.due_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(due_day(text, received)?.to_string()),
    };
    if input.cost_yen.is_some_and(|c| c < 0) {
        return Err(invalid("cost_yen", "費用は0円以上で入力してください。"));
    }
    Ok(clean)
}

fn due_day(text: &str, received: NaiveDate) -> Result<NaiveDate> {
    let due = parse_date(text).ok_or_else(|| {
        invalid(
            "due_on",
            format!("期日は正しい日付で入力してください（例: 2026-04-01）: 「{text}」"),
        )
    })?;
    if due < received {
        return Err(invalid(
            "due_on",
            format!("期日（{due}）が受付日（{received}）より前になっています。"),
        ));
    }
    Ok(due)
}

/// The project must be the customer's; staff and partner must exist.
fn check_refs(conn: &Connection, input: &RequestInput, kept_partner: Option<i64>) -> Result<()> {
    if let Some(project) = input.project_id {
        let owner: Option<i64> = sql::rows(
            conn,
            "SELECT customer_id FROM projects WHERE id = ?1",
            [project],
            |r| r.get(0),
        )?
        .pop();
        if owner != Some(input.customer_id) {
            return Err(invalid(
                "project_id",
                format!(
                    "案件（ID {}）はこの顧客の案件ではありません。",
                    ids::display(project)
                ),
            ));
        }
    }
    if let Some(staff) = input.staff_id {
        if !sql::exists(conn, "staff", staff)? {
            return Err(invalid("staff_id", no_staff(staff)));
        }
    }
    if let Some(partner) = input.partner_id {
        entry(
            conn,
            RequestList::Partner,
            "partner_id",
            partner,
            kept_partner,
        )?;
    }
    Ok(())
}

/// The texts the history shows for each field of a request.
fn texts(r: &ServiceRequest) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("request_project", r.project_title.clone()),
        ("request_received_on", Some(r.received_on.clone())),
        ("request_channel", Some(r.channel.label().to_string())),
        ("request_category", Some(r.category.clone())),
        ("request_complaint", Some(r.complaint.clone())),
        ("request_urgency", Some(r.urgency.label().to_string())),
        ("request_staff", r.staff_name.clone()),
        ("request_due_on", r.due_on.clone()),
        ("request_status", Some(r.status.label().to_string())),
        ("request_partner", r.partner.clone()),
        ("request_cost_yen", r.cost_yen.map(|c| c.to_string())),
        ("request_cause", r.cause.clone()),
        ("request_resolution", Some(r.resolution.clone())),
        (
            "request_satisfaction",
            r.satisfaction.map(|s| s.to_string()),
        ),
        ("request_closed_on", r.closed_on.clone()),
    ]
}

/// Logs the fields that differ between `before` and `after`.
fn log_diff(
    tx: &Transaction,
    actor: &Actor,
    before: &ServiceRequest,
    after: &ServiceRequest,
) -> Result<()> {
    let changes: Vec<Change> = texts(before)
        .into_iter()
        .zip(texts(after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| Change::new(field, old, new))
        .collect();
    log(tx, actor, after, &changes)
}

const INSERT: &str = "INSERT INTO service_requests (id, customer_id, project_id, contact_id,
        received_on, channel, category_id, complaint, urgency, staff_id, due_on, partner_id,
        cost_yen, created_at, updated_at)
    VALUES (?14, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)";

/// Receives a request inside the caller's transaction: one `created` row in
/// the history, and the contact it came from linked to it.
pub(crate) fn create_in(
    tx: &Transaction,
    actor: &Actor,
    input: &RequestInput,
    today: NaiveDate,
) -> Result<ServiceRequest> {
    let c = validate(tx, input, today, None)?;
    let id = ids::next_id(tx, "service_requests")?;
    tx.execute(
        INSERT,
        params![
            c.customer_id,
            c.project_id,
            c.contact_id,
            c.received_on,
            c.channel.as_str(),
            c.category_id,
            c.complaint,
            c.urgency.as_str(),
            c.staff_id,
            c.due_on,
            c.partner_id,
            c.cost_yen,
            now(),
            id
        ],
    )?;
    if let Some(contact) = c.contact_id {
        tx.execute(
            "UPDATE contacts SET request_id = ?1 WHERE id = ?2",
            params![id, contact],
        )?;
    }
    let request = get_in(tx, id, today)?;
    let summary = format!("{}: {}", request.category, request.complaint);
    log(
        tx,
        actor,
        &request,
        &[Change::new("request_created", None, Some(summary))],
    )?;
    Ok(request)
}

const UPDATE: &str = "UPDATE service_requests SET project_id = ?2, received_on = ?3,
        channel = ?4, category_id = ?5, complaint = ?6, urgency = ?7, staff_id = ?8,
        due_on = ?9, partner_id = ?10, cost_yen = ?11, updated_at = ?12
    WHERE id = ?1";

fn update_in(
    tx: &Transaction,
    actor: &Actor,
    id: i64,
    input: &RequestInput,
    today: NaiveDate,
) -> Result<ServiceRequest> {
    let before = get_in(tx, id, today)?;
    if before.customer_id != input.customer_id {
        return Err(LedgerError::Conflict(
            "アフター依頼の顧客は変更できません。".into(),
        ));
    }
    let c = validate(
        tx,
        &RequestInput {
            contact_id: None,
            ..input.clone()
        },
        today,
        Some(&before),
    )?;
    tx.execute(
        UPDATE,
        params![
            id,
            c.project_id,
            c.received_on,
            c.channel.as_str(),
            c.category_id,
            c.complaint,
            c.urgency.as_str(),
            c.staff_id,
            c.due_on,
            c.partner_id,
            c.cost_yen,
            now()
        ],
    )?;
    let after = get_in(tx, id, today)?;
    log_diff(tx, actor, &before, &after)?;
    Ok(after)
}

/// Sets columns of request `id` through `sql` (?1 the id, ?2 the time, then
/// `values`) and logs what changed.
fn change_in(
    tx: &Transaction,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<ServiceRequest> {
    let before = get_in(tx, id, today)?;
    let at = now();
    let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id, &at];
    all.extend_from_slice(values);
    tx.execute(sql, all.as_slice())?;
    let after = get_in(tx, id, today)?;
    log_diff(tx, actor, &before, &after)?;
    Ok(after)
}

const CLOSE: &str = "UPDATE service_requests SET status = 'done', updated_at = ?2,
        cause_id = ?3, resolution = ?4, partner_id = coalesce(?5, partner_id),
        cost_yen = coalesce(?6, cost_yen), satisfaction = ?7, closed_on = ?8
    WHERE id = ?1";

fn close_in(
    tx: &Transaction,
    actor: &Actor,
    id: i64,
    close: &RequestClose,
    today: NaiveDate,
) -> Result<ServiceRequest> {
    let request = get_in(tx, id, today)?;
    if request.status == RequestStatus::Done {
        return Err(LedgerError::Conflict(format!(
            "アフター依頼（ID {}）は既に完了しています。",
            ids::display(id)
        )));
    }
    entry(tx, RequestList::Cause, "cause_id", close.cause_id, None)?;
    if let Some(partner) = close.partner_id {
        entry(
            tx,
            RequestList::Partner,
            "partner_id",
            partner,
            request.partner_id,
        )?;
    }
    if close.satisfaction.is_some_and(|s| !(1..=5).contains(&s)) {
        return Err(invalid(
            "satisfaction",
            "満足度は1から5で入力してください。",
        ));
    }
    if close.cost_yen.is_some_and(|c| c < 0) {
        return Err(invalid("cost_yen", "費用は0円以上で入力してください。"));
    }
    let closed = match close.closed_on.as_deref().map(str::trim) {
        None | Some("") => today,
        Some(text) => past_day("closed_on", "完了日", text, today)?,
    };
    let received = parse_date(&request.received_on).unwrap_or(closed);
    if closed < received {
        return Err(invalid(
            "closed_on",
            format!("完了日（{closed}）が受付日（{received}）より前になっています。"),
        ));
    }
    let closed = closed.to_string();
    let resolution = close.resolution.trim();
    change_in(
        tx,
        actor,
        id,
        today,
        CLOSE,
        &[
            &close.cause_id,
            &resolution,
            &close.partner_id,
            &close.cost_yen,
            &close.satisfaction,
            &closed,
        ],
    )
}

impl Ledger {
    /// Receives a request. With `contact_id` it is made from that クレーム
    /// or 点検 contact, which is linked to it.
    pub fn create_request(
        &mut self,
        actor: &Actor,
        input: &RequestInput,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        self.write(Need::Requests, |tx| create_in(tx, actor, input, today))
    }

    /// Makes a request from a クレーム or 点検 contact in one step: its
    /// customer, day and note, under `category_id`.
    pub fn create_request_from_contact(
        &mut self,
        actor: &Actor,
        contact_id: i64,
        category_id: i64,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        self.write(Need::Requests, |tx| {
            let (customer_id, ..) = source_contact(tx, contact_id)?;
            let input = RequestInput {
                customer_id,
                project_id: the_house(tx, customer_id)?,
                contact_id: Some(contact_id),
                category_id,
                ..RequestInput::default()
            };
            create_in(tx, actor, &input, today)
        })
    }

    /// Edits a request's details (the customer stays).
    pub fn update_request(
        &mut self,
        actor: &Actor,
        id: i64,
        input: &RequestInput,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        self.write(Need::Requests, |tx| update_in(tx, actor, id, input, today))
    }

    /// Hands a request to a staff member (or to nobody).
    pub fn assign_request(
        &mut self,
        actor: &Actor,
        id: i64,
        staff_id: Option<i64>,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        if let Some(staff) = staff_id {
            if !sql::exists(&self.conn, "staff", staff)? {
                return Err(invalid("staff_id", no_staff(staff)));
            }
        }
        self.write(Need::Requests, |tx| {
            let sql = "UPDATE service_requests SET updated_at = ?2, staff_id = ?3 WHERE id = ?1";
            change_in(tx, actor, id, today, sql, &[&staff_id])
        })
    }

    /// Moves an open request to another open status (完了 is `close_request`);
    /// moving a done request reopens it, keeping its cause for the record.
    pub fn move_request(
        &mut self,
        actor: &Actor,
        id: i64,
        status: RequestStatus,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        if status == RequestStatus::Done {
            return Err(invalid(
                "status",
                "完了にするときは原因と対応内容を入力してください（完了の操作から）。",
            ));
        }
        self.write(Need::Requests, |tx| {
            let sql = "UPDATE service_requests
                SET updated_at = ?2, status = ?3, closed_on = NULL WHERE id = ?1";
            change_in(tx, actor, id, today, sql, &[&status.as_str()])
        })
    }

    /// Closes a request with its cause and what was done.
    pub fn close_request(
        &mut self,
        actor: &Actor,
        id: i64,
        close: &RequestClose,
        today: NaiveDate,
    ) -> Result<ServiceRequest> {
        self.write(Need::Requests, |tx| close_in(tx, actor, id, close, today))
    }
}

/// The customer's house when there is no doubt which: its one handed-over
/// project.
fn the_house(conn: &Connection, customer_id: i64) -> Result<Option<i64>> {
    let houses = sql::rows(
        conn,
        "SELECT id FROM projects WHERE customer_id = ?1 AND handover_on IS NOT NULL",
        [customer_id],
        |r| r.get(0),
    )?;
    Ok(match houses.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// The CLI and an import name a channel in Japanese or as its code.
pub fn channel_named(text: &str) -> Result<RequestChannel> {
    read_channel(text).ok_or_else(|| {
        invalid(
            "channel",
            format!(
                "受付方法「{text}」はありません（{}）。",
                RequestChannel::ALL
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("・")
            ),
        )
    })
}
