//! After-care requests (アフター・クレーム対応): an owner's request from the
//! call to done. Each has a customer and, when known, the house (project),
//! who handles it and by when, a status, the partner and cost, and at
//! closing its cause, so that the office learns where problems come from.
//! The visits and work done are contacts pointing at the request. Every
//! change is in the customer's history (change-log entity
//! `service_request`).

mod lists;
mod warranty;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

pub use self::lists::{ListEntry, ListEntryInput, RequestList, RequestSettings};
pub use self::warranty::{
    warranty, CategoryWarranty, Warranty, STATUTORY_CATEGORIES, STATUTORY_YEARS,
};
use crate::followups::contacts::{self, Contact, ContactInput, INSPECTION_KIND};
use crate::record::changelog::{self, Change};
use crate::record::customers;
use crate::record::fields::coded_enum;
use crate::record::rules::DISPLAY_NAME;
use crate::record::validate::parse_date;
use crate::store::access::Need;
use crate::store::calendar::ymd;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

mod record;
pub use self::record::{channel_named, RequestClose, RequestInput};

coded_enum!(
    /// How the request came in.
    #[derive(Default)]
    RequestChannel {
        #[default]
        Phone => "phone",
        Visit => "visit",
        Inspection => "inspection",
        Email => "email",
        Other => "other",
    }
);

coded_enum!(
    /// 受付 → 手配中 → 対応中 → 完了, or 保留 on the way.
    RequestStatus {
        Received => "received",
        Arranging => "arranging",
        InProgress => "in_progress",
        OnHold => "on_hold",
        Done => "done",
    }
);

coded_enum!(
    #[derive(Default)]
    Urgency { #[default] Normal => "normal", Urgent => "urgent", Emergency => "emergency" }
);

impl RequestChannel {
    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "電話",
            Self::Visit => "来店",
            Self::Inspection => "点検",
            Self::Email => "メール",
            Self::Other => "その他",
        }
    }
}

impl RequestStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "受付",
            Self::Arranging => "手配中",
            Self::InProgress => "対応中",
            Self::OnHold => "保留",
            Self::Done => "完了",
        }
    }
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Self::Normal => "通常",
            Self::Urgent => "急ぎ",
            Self::Emergency => "緊急",
        }
    }
}

/// A code or its Japanese label (as the CLI and a roster may give it).
pub fn read_channel(text: &str) -> Option<RequestChannel> {
    let text = text.trim();
    RequestChannel::ALL
        .iter()
        .copied()
        .find(|c| c.as_str() == text || c.label() == text)
}

/// A code or its Japanese label.
pub fn read_status(text: &str) -> Option<RequestStatus> {
    let text = text.trim();
    RequestStatus::ALL
        .iter()
        .copied()
        .find(|s| s.as_str() == text || s.label() == text)
}

/// The contact kind of an owner's complaint; with 点検 the kinds a request
/// can be made from.
pub const CLAIM_KIND: &str = "クレーム";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ServiceRequest {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub project_id: Option<i64>,
    pub project_title: Option<String>,
    /// The contact (クレーム, 点検) the request was made from.
    pub contact_id: Option<i64>,
    /// YYYY-MM-DD
    pub received_on: String,
    pub channel: RequestChannel,
    pub category_id: i64,
    pub category: String,
    /// What the owner said.
    pub complaint: String,
    pub urgency: Urgency,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub due_on: Option<String>,
    pub status: RequestStatus,
    pub partner_id: Option<i64>,
    pub partner: Option<String>,
    pub cost_yen: Option<i64>,
    pub cause_id: Option<i64>,
    pub cause: Option<String>,
    /// What was done (at closing).
    pub resolution: String,
    /// The owner's satisfaction, 1 (低) to 5 (高).
    pub satisfaction: Option<u8>,
    pub closed_on: Option<String>,
    /// Past its due date and not done, on the day asked about.
    pub overdue: bool,
    pub warranty: Warranty,
}

/// A request with the visits and work logged against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RequestDetail {
    pub request: ServiceRequest,
    pub contacts: Vec<Contact>,
}

/// Which requests a list shows; every part narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RequestFilter {
    /// Not done.
    pub open: bool,
    /// Open and past the due date on the day asked about.
    pub overdue: bool,
    pub staff_id: Option<i64>,
    pub status: Option<RequestStatus>,
    pub customer_id: Option<i64>,
    pub project_id: Option<i64>,
    pub partner_id: Option<i64>,
}

/// SQL: a request not yet done.
pub(crate) const OPEN: &str = "r.status <> 'done'";

/// SQL over `customers c`: the customer has an open request and the office
/// leaves such customers out of DM lists (on unless it says otherwise).
pub(crate) fn open_request_keeps_from_dm() -> String {
    format!(
        "(coalesce(json_extract((SELECT value FROM settings WHERE key = '{}'),
                                '$.exclude_open_from_dm'), 1)
          AND EXISTS (SELECT 1 FROM service_requests r WHERE r.customer_id = c.id AND {OPEN}))",
        lists::REQUEST_SETTINGS
    )
}

/// Every request as lists show it; `WHERE` and order are added.
fn select() -> String {
    format!(
        "SELECT r.id, r.customer_id, {DISPLAY_NAME}, r.project_id, p.title, p.handover_on,
                r.contact_id, r.received_on, r.channel, r.category_id, rc.name, r.complaint,
                r.urgency, r.staff_id, st.name, r.due_on, r.status, r.partner_id, pt.name,
                r.cost_yen, r.cause_id, ca.name, r.resolution, r.satisfaction, r.closed_on
         FROM service_requests r JOIN customers c ON c.id = r.customer_id
         JOIN request_categories rc ON rc.id = r.category_id
         LEFT JOIN projects p ON p.id = r.project_id
         LEFT JOIN staff st ON st.id = r.staff_id
         LEFT JOIN partners pt ON pt.id = r.partner_id
         LEFT JOIN request_causes ca ON ca.id = r.cause_id"
    )
}

/// Reads a row of `select()`; the warranty and overdue are filled after.
fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(ServiceRequest, Option<String>)> {
    let code = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let request = ServiceRequest {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        project_id: r.get(3)?,
        project_title: r.get(4)?,
        contact_id: r.get(6)?,
        received_on: r.get(7)?,
        channel: RequestChannel::parse(&code(8)?).unwrap_or_default(),
        category_id: r.get(9)?,
        category: r.get(10)?,
        complaint: r.get(11)?,
        urgency: Urgency::parse(&code(12)?).unwrap_or_default(),
        staff_id: r.get(13)?,
        staff_name: r.get(14)?,
        due_on: r.get(15)?,
        status: RequestStatus::parse(&code(16)?).unwrap_or(RequestStatus::Received),
        partner_id: r.get(17)?,
        partner: r.get(18)?,
        cost_yen: r.get(19)?,
        cause_id: r.get(20)?,
        cause: r.get(21)?,
        resolution: r.get(22)?,
        satisfaction: r.get(23)?,
        closed_on: r.get(24)?,
        overdue: false,
        warranty: warranty(None, NaiveDate::MIN, "", &[]),
    };
    Ok((request, r.get(5)?))
}

/// The requests `where_sql` selects, with warranty and overdue on `today`.
pub(crate) fn query(
    conn: &Connection,
    where_sql: &str,
    values: &[rusqlite::types::Value],
    today: NaiveDate,
) -> Result<Vec<ServiceRequest>> {
    let periods = lists::settings(conn)?.warranty_years;
    let sql = format!(
        "{} WHERE c.deleted_at IS NULL AND {where_sql}
         ORDER BY r.status = 'done', coalesce(r.due_on, '9999'), r.received_on, r.id",
        select()
    );
    let rows = sql::rows(conn, &sql, rusqlite::params_from_iter(values), from_row)?;
    Ok(rows
        .into_iter()
        .map(|(mut request, handover)| {
            let received = parse_date(&request.received_on).unwrap_or(today);
            let handover = handover.as_deref().and_then(parse_date);
            request.warranty = warranty(handover, received, &request.category, &periods);
            request.overdue = request.status != RequestStatus::Done
                && request
                    .due_on
                    .as_deref()
                    .and_then(parse_date)
                    .is_some_and(|d| d < today);
            request
        })
        .collect())
}

pub(crate) fn get_in(conn: &Connection, id: i64, today: NaiveDate) -> Result<ServiceRequest> {
    query(conn, "r.id = ?1", &[id.into()], today)?
        .pop()
        .ok_or(LedgerError::NotFound {
            entity: "アフター依頼",
            id,
        })
}

/// The filter as SQL over `service_requests r`, with its values.
fn filter_sql(filter: &RequestFilter, today: NaiveDate) -> (String, Vec<rusqlite::types::Value>) {
    let mut parts = vec!["1".to_string()];
    let mut values = Vec::new();
    let mut bind = |sql: &str, value: rusqlite::types::Value| {
        values.push(value);
        parts.push(format!("{sql} ?{}", values.len()));
    };
    if filter.overdue {
        bind("r.due_on <", ymd(today));
    }
    if let Some(id) = filter.staff_id {
        bind("r.staff_id =", id.into());
    }
    if let Some(status) = filter.status {
        bind("r.status =", status.as_str().to_string().into());
    }
    if let Some(id) = filter.customer_id {
        bind("r.customer_id =", id.into());
    }
    if let Some(id) = filter.project_id {
        bind("r.project_id =", id.into());
    }
    if let Some(id) = filter.partner_id {
        bind("r.partner_id =", id.into());
    }
    if filter.open || filter.overdue {
        parts.push(OPEN.to_string());
    }
    (parts.join(" AND "), values)
}

/// The contacts logged against a request, newest first.
fn contacts_of(conn: &Connection, request_id: i64) -> Result<Vec<Contact>> {
    sql::rows(
        conn,
        "SELECT k.id, k.customer_id, k.kind_id, ck.name, k.at, s.name, k.note
         FROM contacts k JOIN contact_kinds ck ON ck.id = k.kind_id
         LEFT JOIN staff s ON s.id = k.staff_id
         WHERE k.request_id = ?1 OR k.id = (SELECT contact_id FROM service_requests WHERE id = ?1)
         ORDER BY k.at DESC, k.id DESC",
        [request_id],
        |r| {
            Ok(Contact {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                kind_id: r.get(2)?,
                kind: r.get(3)?,
                at: r.get(4)?,
                staff_name: r.get(5)?,
                note: r.get(6)?,
            })
        },
    )
}

/// Logs `changes` of request `request` in its customer's history.
fn log(
    tx: &Transaction,
    actor: &Actor,
    request: &ServiceRequest,
    changes: &[Change],
) -> Result<()> {
    changelog::record(
        tx,
        actor,
        "service_request",
        request.id,
        Some(request.customer_id),
        changes,
    )?;
    customers::touch(tx, request.customer_id)
}

/// The contact a request is made from: the customer's, of kind クレーム or
/// 点検. Returns its day and note.
fn source_contact(conn: &Connection, contact_id: i64) -> Result<(i64, String, String, String)> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT k.customer_id, ck.name, substr(k.at, 1, 10), k.note
             FROM contacts k JOIN contact_kinds ck ON ck.id = k.kind_id WHERE k.id = ?1",
            [contact_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let row = row.ok_or(LedgerError::NotFound {
        entity: "対応履歴",
        id: contact_id,
    })?;
    if row.1 != CLAIM_KIND && row.1 != INSPECTION_KIND {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "contact_id",
            format!(
                "アフター依頼は「{CLAIM_KIND}」か「{INSPECTION_KIND}」の対応履歴から\
                 作れます（この対応は「{}」です）。",
                row.1
            ),
        )]));
    }
    Ok(row)
}

pub(crate) fn list_in(
    conn: &Connection,
    filter: &RequestFilter,
    today: NaiveDate,
) -> Result<Vec<ServiceRequest>> {
    let (where_sql, values) = filter_sql(filter, today);
    query(conn, &where_sql, &values, today)
}

impl Ledger {
    /// Requests the filter selects, open ones first by due date; overdue
    /// and warranty as of `today`.
    pub fn requests(
        &self,
        filter: &RequestFilter,
        today: NaiveDate,
    ) -> Result<Vec<ServiceRequest>> {
        list_in(&self.conn, filter, today)
    }

    /// One request with the contacts logged against it (and the one it was
    /// made from).
    pub fn request(&self, id: i64, today: NaiveDate) -> Result<RequestDetail> {
        Ok(RequestDetail {
            request: get_in(&self.conn, id, today)?,
            contacts: contacts_of(&self.conn, id)?,
        })
    }

    /// Logs a visit or work as a contact of the request's customer, linked
    /// to the request.
    pub fn log_request_contact(
        &mut self,
        actor: &Actor,
        request_id: i64,
        input: &ContactInput,
        today: NaiveDate,
    ) -> Result<RequestDetail> {
        self.write(Need::Requests, |tx| {
            let request = get_in(tx, request_id, today)?;
            let input = ContactInput {
                customer_id: request.customer_id,
                ..input.clone()
            };
            let contact = contacts::log_in(tx, actor, &input, today)?;
            tx.execute(
                "UPDATE contacts SET request_id = ?1 WHERE id = ?2",
                params![request_id, contact],
            )?;
            Ok(())
        })?;
        self.request(request_id, today)
    }
}
