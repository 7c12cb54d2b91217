//! Every SQL fragment about one customer, and the one compiler from typed
//! filters to SQL with parameters. The customer list, the segments, the DM
//! selection and Today all select through here, so that a rule such as
//! "overdue" is written once and means the same everywhere.
//!
//! Fragments read `customers c JOIN statuses s ON s.id = c.status_id`. A rule
//! that depends on the date binds the day it is asked about (the office's
//! local date, which the caller passes in): none reads the clock, so the
//! list's flags, a segment and `daicho today --on DATE` agree on any day.
//! Filters are typed (`Condition`, `CustomerQuery`); no SQL text comes from
//! outside and every value is a bound parameter.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;

use crate::reference::settings::{FollowUpSettings, FOLLOW_UP};
use crate::selection::completeness::WEIGHTS;
use crate::selection::segments::{Condition, Group, Part};
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
    fn holds(self, yes: bool) -> Self {
        if yes {
            self
        } else {
            Self::new(format!("NOT ({})", self.sql), self.params)
        }
    }
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `column IN (…)`; an empty choice selects no one.
fn any_of(column: &str, values: Vec<Value>) -> Clause {
    if values.is_empty() {
        return Clause::fixed("0");
    }
    Clause::new(format!("{column} IN ({})", marks(values.len())), values)
}

fn ints(ids: &[i64]) -> Vec<Value> {
    ids.iter().copied().map(Value::Integer).collect()
}

fn texts<T: AsRef<str>>(values: impl IntoIterator<Item = T>) -> Vec<Value> {
    values
        .into_iter()
        .map(|v| Value::Text(v.as_ref().to_string()))
        .collect()
}

const WITH_LABEL: &str =
    "EXISTS (SELECT 1 FROM customer_labels cl WHERE cl.customer_id = c.id AND cl.label_id = ?)";

/// A graded prospect whose last contact plus its grade's rhythm is before
/// `today`.
pub(crate) fn overdue(today: NaiveDate) -> Clause {
    Clause::new(
        format!(
            "(c.grade IS NOT NULL AND s.stage IN ('inquiry', 'negotiation', 'nurture')
              AND date({LAST_CONTACT_DAY}, '+' || {} || ' days') < ?)",
            rhythm()
        ),
        vec![ymd(today)],
    )
}

/// SQL: whole days from the local day of the record's last update to the
/// day bound before it.
const DAYS_SINCE_UPDATE: &str = "julianday(?) - julianday(date(c.updated_at, 'localtime'))";

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

const OPEN_TASK_DUE_BY: &str = "EXISTS (SELECT 1 FROM tasks t \
    WHERE t.customer_id = c.id AND t.kind = ? AND t.done_at IS NULL AND t.due_on <= date(?, ?))";

/// An open task of `kind` due within `days` of `today` (overdue ones too).
fn open_task_within(kind: &str, days: u32, today: NaiveDate) -> Clause {
    let within = Value::Text(format!("+{days} days"));
    Clause::new(
        OPEN_TASK_DUE_BY,
        vec![Value::Text(kind.into()), ymd(today), within],
    )
}

/// A group of conditions as one SQL boolean, measured on `today`.
pub(crate) fn group(group: &Group, today: NaiveDate) -> Clause {
    let parts = group
        .parts
        .iter()
        .map(|p| match p {
            Part::Condition { condition: c } => condition(c, today),
            Part::Group { group: g } => self::group(g, today),
        })
        .collect();
    Clause::join(parts, group.all)
}

const IN_LIST: &str = "c.id IN (SELECT customer_id FROM segment_members WHERE segment_id = ?)";
const POSTAL_PREFIX: &str = "substr(replace(c.postal_code, '-', ''), 1, length(?)) = ?";
const HANDED_OVER_IN: &str = "EXISTS (SELECT 1 FROM projects p \
    WHERE p.customer_id = c.id AND CAST(substr(p.handover_on, 1, 4) AS INTEGER) = ?)";

/// One condition as SQL, measured on `today`. A new condition is one arm here.
pub(crate) fn condition(condition: &Condition, today: NaiveDate) -> Clause {
    use Condition as C;
    let one = |sql: &str, value: i64| Clause::new(sql, ints(&[value]));
    match condition {
        C::StatusIn { ids } => any_of("c.status_id", ints(ids)),
        C::StaffIn { ids } => any_of("c.staff_id", ints(ids)),
        C::CampaignIn { ids } => any_of("c.campaign_id", ints(ids)),
        C::StageIn { stages } => any_of("s.stage", texts(stages.iter().map(|s| s.as_str()))),
        C::GradeIn { grades } => any_of("c.grade", texts(grades.iter().map(|g| g.as_str()))),
        C::SourceIn { sources } => any_of("c.source", texts(sources)),
        C::PrefectureIn { names } => any_of("c.prefecture", texts(names)),
        C::CityIn { names } => any_of("c.city", texts(names)),
        C::LabelHas { id } => one(WITH_LABEL, *id),
        C::LabelHasNot { id } => one(WITH_LABEL, *id).holds(false),
        C::InList { segment_id } => one(IN_LIST, *segment_id),
        C::PostalPrefix { prefix } => {
            let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
            Clause::new(POSTAL_PREFIX, texts([&digits, &digits]))
        }
        C::CreatedBetween { from, to } => created_between(from.as_deref(), to.as_deref()),
        C::NotUpdatedFor { days } => Clause::new(
            format!("{DAYS_SINCE_UPDATE} >= ?"),
            vec![ymd(today), Value::Integer((*days).into())],
        ),
        C::BirthdayMonth { month } => Clause::new(
            "substr(c.birthday, 6, 2) = ?",
            texts([format!("{month:02}")]),
        ),
        C::HasEmail { yes } => Clause::fixed("c.email <> ''").holds(*yes),
        C::HasUsableAddress { yes } => Clause::fixed(USABLE_ADDRESS).holds(*yes),
        C::Overdue { yes } => overdue(today).holds(*yes),
        C::Stale { yes } => stale(today).holds(*yes),
        C::NextActionWithin { days } => open_task_within("next_action", *days, today),
        C::InspectionDueWithin { days } => open_task_within("inspection", *days, today),
        C::HandedOverYearsAgo { years } => {
            one(HANDED_OVER_IN, i64::from(today.year()) - i64::from(*years))
        }
        C::ContributionAtLeast { contracts } => {
            one(&format!("{CONTRIBUTION} >= ?"), (*contracts).into())
        }
        C::CompletenessBelow { percent } => {
            one(&format!("{} < ?", completeness()), (*percent).into())
        }
    }
}

/// Registered between two days (YYYY-MM-DD, both included), either open.
fn created_between(from: Option<&str>, to: Option<&str>) -> Clause {
    let ends = [
        from.map(|d| Clause::new("substr(c.created_at, 1, 10) >= ?", texts([d]))),
        to.map(|d| Clause::new("substr(c.created_at, 1, 10) <= ?", texts([d]))),
    ];
    Clause::join(ends.into_iter().flatten().collect(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_join_with_their_parameters_in_order() {
        let joined = Clause::join(
            vec![
                Clause::new("a = ?", vec![Value::Integer(1)]),
                Clause::fixed("b").holds(false),
                Clause::new("c IN (?, ?)", vec![Value::Integer(2), Value::Integer(3)]),
            ],
            false,
        );
        assert_eq!(joined.sql, "(a = ?) OR (NOT (b)) OR (c IN (?, ?))");
        assert_eq!(joined.params, ints(&[1, 2, 3]));
        assert_eq!(Clause::join(Vec::new(), true).sql, "1");
    }

    #[test]
    fn every_parameter_has_its_placeholder() {
        let day = NaiveDate::from_ymd_opt(2031, 3, 15).unwrap();
        let conditions = [
            Condition::Stale { yes: false },
            Condition::NotUpdatedFor { days: 3 },
            Condition::PostalPrefix {
                prefix: "100".into(),
            },
            Condition::NextActionWithin { days: 3 },
            Condition::CreatedBetween {
                from: Some("2030-01-01".into()),
                to: None,
            },
        ];
        for c in &conditions {
            let clause = condition(c, day);
            assert_eq!(
                clause.sql.matches('?').count(),
                clause.params.len(),
                "{c:?}"
            );
        }
    }
}
