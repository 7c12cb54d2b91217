//! Every SQL fragment about one customer: its display name, a usable
//! address, its contribution, the day of its last contact, its contact
//! rhythm and completeness, and the dated rules "overdue" and "stale". The
//! customer list, the segments, the DM selection, Today, follow-ups and
//! validation all read these, so a rule is written once and means the same
//! everywhere; `selection::predicates` compiles typed filters from them.
//!
//! Fragments read `customers c JOIN statuses s ON s.id = c.status_id`. A rule
//! that depends on the date binds the day it is asked about (the office's
//! local date, which the caller passes in): none reads the clock, so the
//! list's flags, a segment and `daicho today --on DATE` agree on any day.

use chrono::NaiveDate;
use rusqlite::types::Value;

use crate::record::completeness::WEIGHTS;
use crate::reference::settings::{FollowUpSettings, FOLLOW_UP};
use crate::store::calendar::ymd;

/// SQL: the customer's name as lists show it (姓 名).
pub(crate) const DISPLAY_NAME: &str = "trim(c.family_name || ' ' || c.given_name)";

/// SQL: a usable postal address, a seven-digit postal code and a street
/// part (the segment condition and the DM exclusion).
pub(crate) const USABLE_ADDRESS: &str =
    "(c.postal_code GLOB '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]' AND c.address1 <> '')";

/// SQL: contracts counted towards the contribution of the customer — its
/// own contracts after the first, plus every contract of the people it
/// referred.
pub(crate) const CONTRIBUTION: &str = "(max((SELECT count(*) FROM projects p
        WHERE p.customer_id = c.id AND p.contract_on IS NOT NULL) - 1, 0)
     + (SELECT count(*) FROM projects p JOIN customers r ON r.id = p.customer_id
        WHERE r.referrer_id = c.id AND r.deleted_at IS NULL AND p.contract_on IS NOT NULL))";

/// SQL: the day of the customer's last contact (or registration, before any).
pub(crate) const LAST_CONTACT_DAY: &str = "coalesce(
    (SELECT substr(max(k.at), 1, 10) FROM contacts k WHERE k.customer_id = c.id),
    substr(c.created_at, 1, 10))";

/// SQL: `LAST_CONTACT_DAY` for a query that reads many customers: every
/// customer's last contact day in one pass over `contacts_customer`, in its
/// order on disk (`LAST_CONTACTS`), joined as `l`. One seek per customer
/// read the index's pages one by one in the customers' order: from a cold
/// disk, Today's overdue list took 0.41 s of its 0.72 s that way.
pub(crate) const LAST_CONTACTS: &str = "last_contacts(customer_id, day) AS MATERIALIZED
    (SELECT customer_id, substr(max(at), 1, 10) FROM contacts GROUP BY customer_id)";
pub(crate) const LAST_CONTACT_DAY_JOINED: &str = "coalesce(l.day, substr(c.created_at, 1, 10))";

/// SQL: the stored follow-up settings as JSON; NULL until the office saves
/// its own, when the rules below fall back to `FollowUpSettings::default()`.
fn follow_up_json() -> String {
    format!("(SELECT value FROM settings WHERE key = '{FOLLOW_UP}')")
}

/// SQL: the contact rhythm in days for the customer's grade.
pub(crate) fn rhythm() -> String {
    let d = FollowUpSettings::default().rhythm_days;
    format!(
        "coalesce(json_extract({}, '$.rhythm_days.' || lower(c.grade)),
                  CASE c.grade WHEN 'A' THEN {} WHEN 'B' THEN {} WHEN 'C' THEN {} ELSE {} END)",
        follow_up_json(),
        d.a,
        d.b,
        d.c,
        d.d
    )
}

/// SQL: the record's completeness in percent (`completeness::WEIGHTS`).
pub(crate) fn completeness() -> String {
    let terms: Vec<String> = WEIGHTS
        .iter()
        .map(|(_, weight, condition)| format!("CASE WHEN {condition} THEN {weight} ELSE 0 END"))
        .collect();
    format!("({})", terms.join(" + "))
}

/// SQL text with the values of its `?`s, in the order they appear. Clauses
/// combine with their parameters, so no caller counts placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    pub(crate) sql: String,
    pub(crate) params: Vec<Value>,
}

impl Clause {
    pub(crate) fn new(sql: impl Into<String>, params: Vec<Value>) -> Self {
        Self {
            sql: sql.into(),
            params,
        }
    }

    /// A clause without parameters.
    pub(crate) fn fixed(sql: impl Into<String>) -> Self {
        Self::new(sql, Vec::new())
    }

    /// All of `parts` (or any of them), each in brackets; true when there
    /// are none.
    pub(crate) fn join(parts: Vec<Clause>, all: bool) -> Self {
        if parts.is_empty() {
            return Self::fixed("1");
        }
        let joiner = if all { " AND " } else { " OR " };
        let (texts, params): (Vec<String>, Vec<Vec<Value>>) = parts
            .into_iter()
            .map(|c| (format!("({})", c.sql), c.params))
            .unzip();
        Self::new(texts.join(joiner), params.concat())
    }

    /// The clause (`yes`) or its negation.
    pub(crate) fn holds(self, yes: bool) -> Self {
        if yes {
            self
        } else {
            Self::new(format!("NOT ({})", self.sql), self.params)
        }
    }
}

/// A living, graded prospect whose last contact plus its grade's rhythm is
/// before `today` (the list, the segments and Today all ask this one).
pub(crate) fn overdue(today: NaiveDate) -> Clause {
    overdue_by(today, LAST_CONTACT_DAY)
}

/// `overdue`, with the last contact day read by `last_day`.
pub(crate) fn overdue_by(today: NaiveDate, last_day: &str) -> Clause {
    Clause::new(
        format!(
            "(c.grade IS NOT NULL AND c.deceased = 0
              AND s.stage IN ('inquiry', 'negotiation', 'nurture')
              AND date({last_day}, '+' || {} || ' days') < ?)",
            rhythm()
        ),
        vec![ymd(today)],
    )
}

/// SQL: whole days from the local day of the record's last update to the
/// day bound before it.
pub(crate) const DAYS_SINCE_UPDATE: &str =
    "julianday(?) - julianday(date(c.updated_at, 'localtime'))";

/// Not updated for the stale days of the follow-up settings, counted in the
/// office's days up to `today`.
pub(crate) fn stale(today: NaiveDate) -> Clause {
    let days = FollowUpSettings::default().stale_days;
    Clause::new(
        format!(
            "({DAYS_SINCE_UPDATE} >= coalesce(json_extract({}, '$.stale_days'), {days}))",
            follow_up_json()
        ),
        vec![ymd(today)],
    )
}
