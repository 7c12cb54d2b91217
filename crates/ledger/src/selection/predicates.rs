//! The one compiler from typed filters to SQL with parameters, over the
//! customer rules of `record::rules`. The customer list, the segments, the DM
//! selection and Today all select through here. Filters are typed (`Condition`, `CustomerQuery`); no SQL text comes from
//! outside and every value is a bound parameter.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;

use crate::record::rules::{
    completeness, overdue, stale, Clause, CONTRIBUTION, DAYS_SINCE_UPDATE, USABLE_ADDRESS,
};
use crate::selection::segments::{Condition, Group, Part};
use crate::store::calendar::ymd;

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
