//! After-care figures (分析): requests received and closed per month, days
//! to close, and counts by category, cause, partner, the house's age and
//! repeat requests on one house. Definitions, to check by hand:
//! - received: requests whose received day is in the period; by category,
//!   by partner (set or not) and by the house's age count these;
//! - closed: requests whose closing day is in the period; by cause and the
//!   days to close count these (days from received to closed);
//! - the median and 90th percentile are nearest-rank: the smallest number
//!   of days that at least half (nine in ten) of the closed requests took;
//! - a house's age is whole years from its project's handover to the day
//!   the request was received ("不明" without a project or handover);
//! - repeat requests: houses (projects) with two or more requests received
//!   in the period;
//! - customers in the trash count in no figure.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::followups::requests::{self, ServiceRequest};
use crate::record::validate::parse_date;
use crate::store::calendar;
use crate::store::error::Result;
use crate::views::dashboard::NamedCount;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RequestMonth {
    /// YYYY-MM
    pub month: String,
    pub received: u32,
    pub closed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RepeatHouse {
    pub customer_id: i64,
    pub customer_name: String,
    pub project_id: i64,
    pub project_title: String,
    pub requests: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RequestFigures {
    pub months: Vec<RequestMonth>,
    pub received: u32,
    pub closed: u32,
    /// Days from received to closed, nearest-rank median of the closed.
    pub median_days: Option<u32>,
    pub p90_days: Option<u32>,
    pub by_category: Vec<NamedCount>,
    pub by_cause: Vec<NamedCount>,
    pub by_partner: Vec<NamedCount>,
    pub by_house_age: Vec<NamedCount>,
    pub repeat_houses: Vec<RepeatHouse>,
}

/// The smallest value that at least `percent` of `sorted` are at or below.
pub fn nearest_rank(sorted: &[u32], percent: u32) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (sorted.len() * percent as usize).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

/// The age bands in the order a chart shows them.
pub const AGE_BANDS: [&str; 6] = ["1年未満", "1〜2年", "2〜5年", "5〜10年", "10年以上", "不明"];

/// The age band of a house, by whole years.
pub fn age_band(years: Option<u32>) -> &'static str {
    match years {
        None => "不明",
        Some(0) => "1年未満",
        Some(1) => "1〜2年",
        Some(2..=4) => "2〜5年",
        Some(5..=9) => "5〜10年",
        Some(_) => "10年以上",
    }
}

/// Counts by `key`, most first, then by name.
fn counts<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<NamedCount> {
    let mut map: BTreeMap<&str, u32> = BTreeMap::new();
    for key in keys {
        *map.entry(key).or_default() += 1;
    }
    let mut rows: Vec<NamedCount> = map
        .into_iter()
        .map(|(name, count)| NamedCount {
            name: name.to_string(),
            count,
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// Counts by the house's age band, youngest first.
fn by_age(received: &[ServiceRequest]) -> Vec<NamedCount> {
    let mut rows = counts(
        received
            .iter()
            .map(|r| age_band(r.warranty.house_age_years)),
    );
    rows.sort_by_key(|row| AGE_BANDS.iter().position(|b| *b == row.name));
    rows
}

fn days_to_close(closed: &[ServiceRequest]) -> Vec<u32> {
    let mut days: Vec<u32> = closed
        .iter()
        .filter_map(|r| {
            let from = parse_date(&r.received_on)?;
            let to = parse_date(r.closed_on.as_deref()?)?;
            u32::try_from((to - from).num_days()).ok()
        })
        .collect();
    days.sort_unstable();
    days
}

fn repeat_houses(received: &[ServiceRequest]) -> Vec<RepeatHouse> {
    let mut houses: BTreeMap<i64, RepeatHouse> = BTreeMap::new();
    for r in received {
        let Some(project_id) = r.project_id else {
            continue;
        };
        houses
            .entry(project_id)
            .or_insert_with(|| RepeatHouse {
                customer_id: r.customer_id,
                customer_name: r.customer_name.clone(),
                project_id,
                project_title: r.project_title.clone().unwrap_or_default(),
                requests: 0,
            })
            .requests += 1;
    }
    let mut repeats: Vec<RepeatHouse> = houses.into_values().filter(|h| h.requests > 1).collect();
    repeats.sort_by_key(|h| std::cmp::Reverse(h.requests));
    repeats
}

fn months(
    from: NaiveDate,
    to: NaiveDate,
    received: &[ServiceRequest],
    closed: &[ServiceRequest],
) -> Vec<RequestMonth> {
    let in_month = |day: Option<&str>, month: &str| day.is_some_and(|d| d.starts_with(month));
    calendar::months_between(from, to)
        .into_iter()
        .map(|month| RequestMonth {
            received: received
                .iter()
                .filter(|r| in_month(Some(&r.received_on), &month))
                .count() as u32,
            closed: closed
                .iter()
                .filter(|r| in_month(r.closed_on.as_deref(), &month))
                .count() as u32,
            month,
        })
        .collect()
}

/// The figures of the period `from`–`to` (both included).
pub(crate) fn figures(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<RequestFigures> {
    let period = [calendar::ymd(from), calendar::ymd(to)];
    let received = requests::query(conn, "r.received_on BETWEEN ?1 AND ?2", &period, to)?;
    let closed = requests::query(conn, "r.closed_on BETWEEN ?1 AND ?2", &period, to)?;
    let days = days_to_close(&closed);
    Ok(RequestFigures {
        months: months(from, to, &received, &closed),
        received: received.len() as u32,
        closed: closed.len() as u32,
        median_days: nearest_rank(&days, 50),
        p90_days: nearest_rank(&days, 90),
        by_category: counts(received.iter().map(|r| r.category.as_str())),
        by_cause: counts(
            closed
                .iter()
                .map(|r| r.cause.as_deref().unwrap_or("（なし）")),
        ),
        by_partner: counts(
            received
                .iter()
                .map(|r| r.partner.as_deref().unwrap_or("（なし）")),
        ),
        by_house_age: by_age(&received),
        repeat_houses: repeat_houses(&received),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(nearest_rank(&days, 50), Some(5));
        assert_eq!(nearest_rank(&days, 90), Some(9));
        assert_eq!(nearest_rank(&[4], 90), Some(4));
        assert_eq!(nearest_rank(&[2, 30, 31], 50), Some(30));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn age_bands() {
        assert_eq!(age_band(Some(0)), "1年未満");
        assert_eq!(age_band(Some(4)), "2〜5年");
        assert_eq!(age_band(Some(10)), "10年以上");
        assert_eq!(age_band(None), "不明");
    }
}
