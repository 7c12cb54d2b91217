//! Dates as old rosters write them: Western (2020/1/2, 2020年1月2日,
//! 2020-01-02), Japanese eras (S48.5.12, 昭和48年5月12日, H2/1/3, 令和元年5月1日)
//! and Excel serial numbers.

use chrono::{Duration, NaiveDate};

use crate::kana::fold_width;

/// The five modern eras: name, initial, first day.
const ERAS: [(&str, char, (i32, u32, u32)); 5] = [
    ("明治", 'M', (1868, 1, 25)),
    ("大正", 'T', (1912, 7, 30)),
    ("昭和", 'S', (1926, 12, 25)),
    ("平成", 'H', (1989, 1, 8)),
    ("令和", 'R', (2019, 5, 1)),
];

/// Reads a date written as text. Returns `None` when it is not a real date.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let folded = fold_width(input.trim())
        .replace("元年", "1年")
        .replace(' ', "");
    if folded.is_empty() {
        return None;
    }
    let (era, rest) = split_era(&folded);
    let numbers: Vec<u32> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (year, month, day) = match numbers.as_slice() {
        [y, m, d] => (*y, *m, *d),
        // 20200102 (only without an era).
        [n] if era.is_none() && rest.len() == 8 => (n / 10_000, n / 100 % 100, n % 100),
        _ => return None,
    };
    if !rest.ends_with(|c: char| c.is_ascii_digit() || c == '日') {
        return None;
    }
    match era {
        Some(index) => {
            let (_, _, (start_year, sm, sd)) = ERAS[index];
            let date = NaiveDate::from_ymd_opt(start_year + year as i32 - 1, month, day)?;
            let starts = NaiveDate::from_ymd_opt(start_year, sm, sd)?;
            let ends = ERAS
                .get(index + 1)
                .and_then(|(_, _, (y, m, d))| NaiveDate::from_ymd_opt(*y, *m, *d));
            (year >= 1 && date >= starts && ends.is_none_or(|end| date < end)).then_some(date)
        }
        None if year >= 1000 => NaiveDate::from_ymd_opt(year as i32, month, day),
        None => None,
    }
}

/// Finds a leading era name or initial (S48…, 昭和48…, s48…).
fn split_era(s: &str) -> (Option<usize>, &str) {
    for (i, (name, initial, _)) in ERAS.iter().enumerate() {
        if let Some(rest) = s.strip_prefix(name) {
            return (Some(i), rest);
        }
        let mut chars = s.chars();
        if chars
            .next()
            .is_some_and(|c| c.to_ascii_uppercase() == *initial)
        {
            let rest = chars.as_str();
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return (Some(i), rest);
            }
        }
    }
    (None, s)
}

/// Excel's day numbers (1900 date system; day 60 is the fictitious
/// 1900-02-29, so serials from 61 on count from 1899-12-30).
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(serial.floor() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn western_forms() {
        assert_eq!(parse_date("2020/1/2"), d(2020, 1, 2));
        assert_eq!(parse_date("2020年1月2日"), d(2020, 1, 2));
        assert_eq!(parse_date("2020-01-02"), d(2020, 1, 2));
        assert_eq!(parse_date("２０２０／０１／０２"), d(2020, 1, 2));
        assert_eq!(parse_date("20200102"), d(2020, 1, 2));
    }

    #[test]
    fn era_forms() {
        assert_eq!(parse_date("S48.5.12"), d(1973, 5, 12));
        assert_eq!(parse_date("昭和48年5月12日"), d(1973, 5, 12));
        assert_eq!(parse_date("H2/1/3"), d(1990, 1, 3));
        assert_eq!(parse_date("R1.5.1"), d(2019, 5, 1));
        assert_eq!(parse_date("令和元年5月1日"), d(2019, 5, 1));
        assert_eq!(parse_date("平成31年4月30日"), d(2019, 4, 30));
        assert_eq!(parse_date("大正15年12月24日"), d(1926, 12, 24));
        assert_eq!(parse_date("M45.7.29"), d(1912, 7, 29));
        assert_eq!(parse_date("s58/11/16"), d(1983, 11, 16));
        assert_eq!(parse_date("Ｓ４８．５．１２"), d(1973, 5, 12));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("H32.1.1"), None, "平成 ended in its 31st year");
        assert_eq!(parse_date("R1.4.30"), None, "令和 began on 1 May 2019");
        assert_eq!(parse_date("2020/2/30"), None);
        assert_eq!(parse_date("不明"), None);
        assert_eq!(parse_date("48.5.12"), None);
        assert_eq!(parse_date("2020/1"), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(29901.0), d(1981, 11, 11));
        assert_eq!(from_excel_serial(61.0), d(1900, 3, 1));
        assert_eq!(from_excel_serial(12.0), None);
    }

    proptest! {
        #[test]
        fn every_showa_date_round_trips(days in 0i64..22_660) {
            let date = NaiveDate::from_ymd_opt(1926, 12, 25).unwrap() + Duration::days(days);
            use chrono::Datelike;
            let era_year = date.year() - 1925;
            let text = format!("昭和{}年{}月{}日", era_year, date.month(), date.day());
            prop_assert_eq!(parse_date(&text), Some(date));
            let short = format!("S{}.{}.{}", era_year, date.month(), date.day());
            prop_assert_eq!(parse_date(&short), Some(date));
        }
    }
}
