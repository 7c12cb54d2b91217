//! The office's calendar: its local date and the date arithmetic that the
//! follow-ups and the views share. No rule reads the clock itself: the app
//! and the CLI take `local_today` once and pass the date in, so every rule
//! can be asked about any day (and tested at a fixed one).

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;

use crate::store::error::{FieldError, LedgerError, Result};

/// The office's local date, which every "today" rule is measured against.
pub fn local_today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A day as the ledger stores and compares it (YYYY-MM-DD), bound as a
/// parameter.
pub(crate) fn ymd(day: NaiveDate) -> Value {
    Value::Text(day.format("%Y-%m-%d").to_string())
}

/// The last day of `day`'s month.
pub(crate) fn end_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("first of a month") - chrono::Days::new(1)
}

/// Every month that a period touches, as YYYY-MM, in order.
pub(crate) fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        months.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    months
}

/// A period asked for by its first and last day (both included): both must
/// be dates (`None` is one that did not read as a date), in order.
pub(crate) fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate)> {
    match (from, to) {
        (Some(f), Some(t)) if f <= t => Ok((f, t)),
        (Some(_), Some(_)) => Err(LedgerError::Invalid(vec![FieldError::new(
            "to",
            "期間の終わりが始まりより前になっています。",
        )])),
        _ => Err(LedgerError::Invalid(vec![FieldError::new(
            "from",
            "期間は正しい日付で入力してください（例: 2026-04-01）。",
        )])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_of_a_period() {
        assert_eq!(
            months_between(d("2025-11-15"), d("2026-02-01")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }

    #[test]
    fn month_ends() {
        assert_eq!(end_of_month(d("2028-02-10")), d("2028-02-29"));
        assert_eq!(end_of_month(d("2025-12-31")), d("2025-12-31"));
        assert_eq!(end_of_month(d("2026-04-01")), d("2026-04-30"));
    }

    #[test]
    fn a_period_runs_forwards() {
        assert!(period(Some(d("2026-04-01")), Some(d("2026-04-01"))).is_ok());
        assert!(period(Some(d("2026-04-02")), Some(d("2026-04-01"))).is_err());
        assert!(period(None, Some(d("2026-04-01"))).is_err());
    }
}
