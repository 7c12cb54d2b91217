//! Warranty at a glance: whether a request falls within the statutory
//! period (住宅品確法: 10 years from handover for the structure and for rain
//! penetration) and within the office's own period for its category.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Categories that 住宅品確法 covers for 10 years: 構造耐力上主要な部分 and
/// 雨水の浸入を防止する部分.
pub const STATUTORY_CATEGORIES: [&str; 2] = ["雨漏り", "構造"];

/// The statutory period, in years from handover.
pub const STATUTORY_YEARS: u32 = 10;

/// The office's own warranty for one category, in years from handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CategoryWarranty {
    pub category: String,
    pub years: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Warranty {
    /// The house's handover day, when the request names a project that has one.
    pub handover_on: Option<String>,
    /// Whole years from handover to the day the request was received.
    pub house_age_years: Option<u32>,
    /// Within the statutory 10 years; `None` when the category is not one
    /// the law covers, or the handover is unknown.
    pub statutory: Option<bool>,
    /// The office's period for the category, if it sets one.
    pub office_years: Option<u32>,
    /// Within the office's period; `None` without a period or a handover.
    pub office: Option<bool>,
}

/// The day `years` after `from` (29 February rolls to 28 February).
fn years_after(from: NaiveDate, years: u32) -> NaiveDate {
    from.checked_add_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole years from `from` to `to` (0 before the first anniversary).
pub(crate) fn whole_years(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if to < from {
        return None;
    }
    let mut years = (to.year() - from.year()) as u32;
    if years_after(from, years) > to {
        years -= 1;
    }
    Some(years)
}

/// The warranty of a request of `category` received on `received`, for a
/// house handed over on `handover`. A period covers the days before its
/// anniversary: handed over 2015-04-01, 10 years run to 2025-03-31.
pub fn warranty(
    handover: Option<NaiveDate>,
    received: NaiveDate,
    category: &str,
    office_periods: &[CategoryWarranty],
) -> Warranty {
    let office_years = office_periods
        .iter()
        .find(|w| w.category == category)
        .map(|w| w.years);
    let within = |years: u32| handover.map(|h| received >= h && received < years_after(h, years));
    let statutory = if STATUTORY_CATEGORIES.contains(&category) {
        within(STATUTORY_YEARS)
    } else {
        None
    };
    Warranty {
        handover_on: handover.map(|h| h.format("%Y-%m-%d").to_string()),
        house_age_years: handover.and_then(|h| whole_years(h, received)),
        statutory,
        office_years,
        office: office_years.and_then(within),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn office() -> Vec<CategoryWarranty> {
        vec![CategoryWarranty {
            category: "建具".into(),
            years: 2,
        }]
    }

    #[test]
    fn rain_is_covered_by_law_for_ten_years_to_the_day_before() {
        let h = Some(d("2015-04-01"));
        assert_eq!(
            warranty(h, d("2025-03-31"), "雨漏り", &office()).statutory,
            Some(true)
        );
        assert_eq!(
            warranty(h, d("2025-04-01"), "雨漏り", &office()).statutory,
            Some(false)
        );
        assert_eq!(
            warranty(h, d("2025-04-01"), "構造", &office()).house_age_years,
            Some(10)
        );
    }

    #[test]
    fn other_categories_have_only_the_offices_period() {
        let w = warranty(Some(d("2024-02-29")), d("2026-02-27"), "建具", &office());
        assert_eq!(
            (w.statutory, w.office_years, w.office),
            (None, Some(2), Some(true))
        );
        let w = warranty(Some(d("2024-02-29")), d("2026-02-28"), "建具", &office());
        assert_eq!(w.office, Some(false));
        assert_eq!(w.house_age_years, Some(2));
        let w = warranty(Some(d("2024-01-01")), d("2024-06-01"), "設備", &office());
        assert_eq!((w.office_years, w.office), (None, None));
    }

    #[test]
    fn without_a_handover_nothing_is_known() {
        let w = warranty(None, d("2026-01-01"), "雨漏り", &office());
        assert_eq!(
            (w.statutory, w.office, w.house_age_years),
            (None, None, None)
        );
        assert_eq!(w.office_years, None);
    }

    #[test]
    fn a_request_before_handover_is_not_under_warranty() {
        let w = warranty(Some(d("2026-05-01")), d("2026-04-01"), "構造", &office());
        assert_eq!((w.statutory, w.house_age_years), (Some(false), None));
    }
}
