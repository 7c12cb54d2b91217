//! Dates as old rosters write them: Western (2020/1/2, 2020年1月2日,
//! 2020-01-02, 西暦二〇二〇年), Japanese eras (S48.5.12, 昭48.5.12,
//! 昭和48年5月12日, 昭和四十八年五月十二日, ㍼48年, H2/1/3, 令和元年5月1日,
//! 令和2年元日, 平成12年2月晦日) and Excel serial numbers.

use std::fmt;

use chrono::{Datelike, Duration, Months, NaiveDate};
use unicode_normalization::UnicodeNormalization;

use crate::kana::fold_width;
use crate::numeral::{is_kanji_numeral, kanji_number};

/// One of the five modern eras.
struct Era {
    name: &'static str,
    /// The Latin initial of JIS X 0301 (S48.05.12); the first character of
    /// the name is the kanji initial (昭48.5.12).
    initial: char,
    first_day: (i32, u32, u32),
}

const ERAS: [Era; 5] = [
    Era {
        name: "明治",
        initial: 'M',
        first_day: (1868, 1, 25),
    },
    Era {
        name: "大正",
        initial: 'T',
        first_day: (1912, 7, 30),
    },
    Era {
        name: "昭和",
        initial: 'S',
        first_day: (1926, 12, 25),
    },
    Era {
        name: "平成",
        initial: 'H',
        first_day: (1989, 1, 8),
    },
    Era {
        name: "令和",
        initial: 'R',
        first_day: (2019, 5, 1),
    },
];

/// Japan took the Gregorian calendar on 明治6年1月1日 (1873-01-01; 太政官布告
/// 第337号). Era dates of earlier years count lunisolar months and days, which
/// no arithmetic on the written numbers turns into a Gregorian date.
const FIRST_GREGORIAN_YEAR: i32 = 1873;

/// Why a text is not a date this reader will give. Its `Display` is a
/// Japanese sentence for the user, to put beside the cell it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any form read here (不明, 2020/1, a time of day).
    Unreadable,
    /// A year under 1000 with no era (48.5.12): 昭和48年 or 平成48年?
    NoEra,
    /// A month that no calendar has (13月).
    NoSuchMonth { month: u32 },
    /// A day its month does not have that year (2001年2月29日, 4月31日).
    NoSuchDay { year: i32, month: u32, day: u32 },
    /// A real day, but not within the era written (平成32年, 令和元年4月30日).
    OutsideEra {
        era: &'static str,
        first: NaiveDate,
        last: Option<NaiveDate>,
    },
    /// An era date before 1873 (明治1〜5年), in the lunisolar calendar.
    Lunisolar,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAY: &str = "%Y年%-m月%-d日";
        match self {
            Self::Unreadable => write!(f, "日付として読み取れません"),
            Self::NoEra => write!(
                f,
                "元号（昭和・平成など）も4桁の西暦年もないため、何年か決まりません"
            ),
            Self::NoSuchMonth { month } => write!(f, "{month}月という月はありません"),
            Self::NoSuchDay { year, month, day } => {
                write!(f, "{year}年の{month}月に{day}日はありません")
            }
            Self::OutsideEra { era, first, last } => match last {
                Some(last) => write!(
                    f,
                    "{era}は{}から{}までです",
                    first.format(DAY),
                    last.format(DAY)
                ),
                None => write!(f, "{era}は{}からです", first.format(DAY)),
            },
            Self::Lunisolar => write!(
                f,
                "明治6年（1873年）より前の和暦は旧暦のため、西暦に換算できません"
            ),
        }
    }
}

impl std::error::Error for DateError {}

/// Reads a date written as text. Returns `None` when it is not a real date;
/// [`read_date`] says why.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    read_date(input).ok()
}

/// Reads a date written as text, or says why it will not give one.
pub fn read_date(input: &str) -> Result<NaiveDate, DateError> {
    let text = comparable(input);
    if let Some(rest) = text.strip_prefix("西暦") {
        return western_date(rest);
    }
    match split_era(&text) {
        Some((era, rest)) => era_date(era, rest),
        None => western_date(&text),
    }
}

/// The input as this reader compares it: width-folded (２０２０ → 2020,
/// ㍻ → 平成), compatibility ideographs in their canonical form (fold_width
/// keeps them for names, but a date has none, and converted text may hold
/// the 令 of 令和 as U+F9A8), and without white space, which rosters put anywhere
/// (1 9 2 8 年 3 月).
fn comparable(input: &str) -> String {
    fold_width(input)
        .nfc()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Finds a leading era: its name (昭和), Latin initial in either case (S, s)
/// or kanji initial (昭), an initial only directly before the year.
fn split_era(s: &str) -> Option<(usize, &str)> {
    ERAS.iter().enumerate().find_map(|(index, era)| {
        let by_initial = || {
            let mut chars = s.chars();
            let c = chars.next()?;
            let is_initial = c.to_ascii_uppercase() == era.initial || era.name.starts_with(c);
            let rest = chars.as_str();
            (is_initial && rest.starts_with(starts_year)).then_some(rest)
        };
        s.strip_prefix(era.name)
            .or_else(by_initial)
            .map(|rest| (index, rest))
    })
}

fn starts_year(c: char) -> bool {
    c.is_ascii_digit() || is_kanji_numeral(c) || c == '元'
}

/// An era date: the year counts from 1 (元年) at the era's first day.
fn era_date(index: usize, s: &str) -> Result<NaiveDate, DateError> {
    let era = &ERAS[index];
    let (year, rest) = era_year(s).ok_or(DateError::Unreadable)?;
    let year = i32::try_from(year)
        .ok()
        .and_then(|y| era.first_day.0.checked_add(y - 1))
        .ok_or(DateError::Unreadable)?;
    if year < FIRST_GREGORIAN_YEAR {
        return Err(DateError::Lunisolar);
    }
    let date = month_and_day(rest).ok_or(DateError::Unreadable)?.on(year)?;
    let first = day_of(era.first_day);
    let next = ERAS.get(index + 1).map(|next| day_of(next.first_day));
    if date < first || next.is_some_and(|next| date >= next) {
        return Err(DateError::OutsideEra {
            era: era.name,
            first,
            last: next.and_then(|next| next.pred_opt()),
        });
    }
    Ok(date)
}

fn day_of((year, month, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real day in the era table")
}

/// The era year (元 is the first) and the text after its separator.
fn era_year(s: &str) -> Option<(u32, &str)> {
    let (year, rest) = match s.strip_prefix('元') {
        Some(rest) => (1, rest),
        None => number(s)?,
    };
    Some((year, after_separator(rest, '年')?))
}

/// A Western date: 2020/1/2, 2020年1月2日, 二〇二〇年一月二日, 20200102.
fn western_date(s: &str) -> Result<NaiveDate, DateError> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (year, rest) = s.split_at(4);
        let (month, day) = rest.split_at(2);
        let number = |part: &str| part.parse().map_err(|_| DateError::Unreadable);
        return MonthDay {
            month: number(month)?,
            day: Day::Nth(number(day)?),
        }
        .on(number(year)? as i32);
    }
    let (year, rest) = number(s).ok_or(DateError::Unreadable)?;
    let rest = after_separator(rest, '年').ok_or(DateError::Unreadable)?;
    let month_day = month_and_day(rest).ok_or(DateError::Unreadable)?;
    // Two digits (48.5.12) are an era year whose era is not written.
    if year < 1000 {
        return Err(DateError::NoEra);
    }
    month_day.on(i32::try_from(year).map_err(|_| DateError::Unreadable)?)
}

/// A number in Arabic digits (05) or kanji numerals (五, 二〇二〇, 四十八) at
/// the start of `s`, and the text after it.
fn number(s: &str) -> Option<(u32, &str)> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits > 0 {
        // parse fails on overflow, so a long run of digits is refused.
        return Some((s[..digits].parse().ok()?, &s[digits..]));
    }
    let kanji = s.find(|c| !is_kanji_numeral(c)).unwrap_or(s.len());
    Some((kanji_number(&s[..kanji])?, &s[kanji..]))
}

/// The text after a separator: `unit` (年 after a year, 月 after a month)
/// or one of the marks that stand for it.
fn after_separator(s: &str, unit: char) -> Option<&str> {
    s.strip_prefix(unit)
        .or_else(|| s.strip_prefix(['.', '/', '-']))
}

struct MonthDay {
    month: u32,
    day: Day,
}

#[derive(Clone, Copy)]
enum Day {
    Nth(u32),
    /// 晦日, 末日: the last day of the month, whichever it is that year.
    Last,
}

/// Words that name a whole day of the year.
const DAYS_OF_YEAR: [(&str, u32, Day); 3] = [
    ("元日", 1, Day::Nth(1)),
    ("元旦", 1, Day::Nth(1)),
    ("大晦日", 12, Day::Last),
];

/// Words that name a day of the month.
const DAYS_OF_MONTH: [(&str, Day); 3] = [
    ("晦日", Day::Last),
    ("末日", Day::Last),
    ("朔日", Day::Nth(1)),
];

/// The month and day after the year: 5月12日, 5.12, 五月十二日, 2月晦日, 元日.
fn month_and_day(s: &str) -> Option<MonthDay> {
    if let Some((_, month, day)) = DAYS_OF_YEAR.iter().find(|(word, ..)| *word == s) {
        return Some(MonthDay {
            month: *month,
            day: *day,
        });
    }
    let (month, rest) = number(s)?;
    let rest = after_separator(rest, '月')?;
    if let Some((_, day)) = DAYS_OF_MONTH.iter().find(|(word, _)| *word == rest) {
        return Some(MonthDay { month, day: *day });
    }
    let (day, rest) = number(rest)?;
    matches!(rest, "" | "日").then_some(MonthDay {
        month,
        day: Day::Nth(day),
    })
}

impl MonthDay {
    /// The day in `year` of the Gregorian calendar.
    fn on(&self, year: i32) -> Result<NaiveDate, DateError> {
        let month = self.month;
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(match month {
            1..=12 => DateError::Unreadable,
            _ => DateError::NoSuchMonth { month },
        })?;
        let day = match self.day {
            Day::Nth(day) => day,
            Day::Last => last_day(first).ok_or(DateError::Unreadable)?,
        };
        NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { year, month, day })
    }
}

/// The number of the last day of the month that starts on `first`.
fn last_day(first: NaiveDate) -> Option<u32> {
    Some(first.checked_add_months(Months::new(1))?.pred_opt()?.day())
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

    #[test]
    fn kanji_numerals() {
        assert_eq!(parse_date("昭和四十八年五月十二日"), d(1973, 5, 12));
        assert_eq!(parse_date("昭和48年五月十二日"), d(1973, 5, 12));
        assert_eq!(parse_date("令和元年五月一日"), d(2019, 5, 1));
        assert_eq!(parse_date("平成一〇年十月十日"), d(1998, 10, 10));
        assert_eq!(parse_date("二〇二〇年一月二日"), d(2020, 1, 2));
        assert_eq!(parse_date("西暦二千二十年一月二日"), d(2020, 1, 2));
        assert_eq!(parse_date("平成十年 肆月 八日"), d(1998, 4, 8));
    }

    #[test]
    fn one_letter_eras() {
        assert_eq!(parse_date("平19.2.6"), d(2007, 2, 6));
        assert_eq!(parse_date("昭62.01.29"), d(1987, 1, 29));
        assert_eq!(parse_date("大9.1.1"), d(1920, 1, 1));
        assert_eq!(parse_date("h19.2.6"), d(2007, 2, 6));
        assert_eq!(parse_date("ｒ２．５．１"), d(2020, 5, 1));
        assert_eq!(parse_date("令元.5.1"), d(2019, 5, 1));
        assert_eq!(
            parse_date("大晦日"),
            None,
            "大 is an initial only before a year"
        );
    }

    #[test]
    fn ligatures_and_compatibility_ideographs() {
        assert_eq!(parse_date("㍾十年３月9日"), d(1877, 3, 9));
        assert_eq!(parse_date("㍼四十八年五月十二日"), d(1973, 5, 12));
        assert_eq!(parse_date("㍻19年2月6日"), d(2007, 2, 6));
        assert_eq!(parse_date("㋿2年1月1日"), d(2020, 1, 1));
        assert_eq!(parse_date("\u{F9A8}和3年5月4日"), d(2021, 5, 4));
    }

    #[test]
    fn named_days() {
        assert_eq!(parse_date("平成12年2月晦日"), d(2000, 2, 29));
        assert_eq!(parse_date("平成13年2月晦日"), d(2001, 2, 28));
        assert_eq!(parse_date("平成12年十二月晦日"), d(2000, 12, 31));
        assert_eq!(parse_date("2021年4月末日"), d(2021, 4, 30));
        assert_eq!(parse_date("令和2年元日"), d(2020, 1, 1));
        assert_eq!(parse_date("令和2年元旦"), d(2020, 1, 1));
        assert_eq!(parse_date("令和2年大晦日"), d(2020, 12, 31));
        assert_eq!(parse_date("令和2年3月朔日"), d(2020, 3, 1));
    }

    #[test]
    fn white_space_anywhere() {
        assert_eq!(
            parse_date("\t\u{3000}1 9 2 8 年 3 月\u{3000}１１ 日 "),
            d(1928, 3, 11)
        );
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(read_date("明治5年12月2日"), Err(DateError::Lunisolar));
        assert_eq!(read_date("M3.1.1"), Err(DateError::Lunisolar));
        assert_eq!(read_date("明治三年閏十月四日"), Err(DateError::Lunisolar));
        assert_eq!(
            read_date("M6.1.1"),
            Ok(NaiveDate::from_ymd_opt(1873, 1, 1).unwrap())
        );
        assert_eq!(read_date("48.5.12"), Err(DateError::NoEra));
        assert_eq!(
            read_date("2020/13/1"),
            Err(DateError::NoSuchMonth { month: 13 })
        );
        assert_eq!(
            read_date("平成13年2月29日"),
            Err(DateError::NoSuchDay {
                year: 2001,
                month: 2,
                day: 29
            })
        );
        assert_eq!(read_date("不明"), Err(DateError::Unreadable));
        assert!(matches!(
            read_date("R1.4.30"),
            Err(DateError::OutsideEra { era: "令和", .. })
        ));
    }

    #[test]
    fn reasons_read_as_japanese_sentences() {
        let reason = |s: &str| read_date(s).unwrap_err().to_string();
        assert_eq!(
            reason("明治5年12月2日"),
            "明治6年（1873年）より前の和暦は旧暦のため、西暦に換算できません"
        );
        assert_eq!(
            reason("H32.1.1"),
            "平成は1989年1月8日から2019年4月30日までです"
        );
        assert_eq!(reason("R1.4.30"), "令和は2019年5月1日からです");
        assert_eq!(reason("2001/2/29"), "2001年の2月に29日はありません");
    }

    /// The era of a Gregorian day, and its year in that era.
    fn era_of(date: NaiveDate) -> (&'static Era, i32) {
        let era = ERAS
            .iter()
            .rev()
            .find(|era| day_of(era.first_day) <= date)
            .expect("a day of a modern era");
        (era, date.year() - era.first_day.0 + 1)
    }

    proptest! {
        #[test]
        fn every_modern_era_day_reads_back_in_kanji_and_initials(
            days in 0i64..83_000,
            latin in any::<bool>(),
            lower in any::<bool>(),
        ) {
            use crate::numeral::positional_kanji as kanji;
            let date = day_of((FIRST_GREGORIAN_YEAR, 1, 1)) + Duration::days(days);
            let (era, year) = era_of(date);
            let kanji_year = match year {
                1 => "元".to_string(),
                _ => kanji(year as u32),
            };
            let written = format!(
                "{}{kanji_year}年{}月{}日",
                era.name,
                kanji(date.month()),
                kanji(date.day())
            );
            prop_assert_eq!(parse_date(&written), Some(date), "{}", written);
            let initial = match (latin, lower) {
                (true, true) => era.initial.to_ascii_lowercase(),
                (true, false) => era.initial,
                (false, _) => era.name.chars().next().unwrap(),
            };
            let short = format!("{initial}{year}.{}.{}", date.month(), date.day());
            prop_assert_eq!(parse_date(&short), Some(date), "{}", short);
        }

        #[test]
        fn any_text_is_read_without_panic(s in "\\PC{0,24}") {
            let _ = read_date(&s);
        }

        #[test]
        fn every_showa_date_round_trips(days in 0i64..22_660) {
            let date = NaiveDate::from_ymd_opt(1926, 12, 25).unwrap() + Duration::days(days);
            let era_year = date.year() - 1925;
            let text = format!("昭和{}年{}月{}日", era_year, date.month(), date.day());
            prop_assert_eq!(parse_date(&text), Some(date));
            let short = format!("S{}.{}.{}", era_year, date.month(), date.day());
            prop_assert_eq!(parse_date(&short), Some(date));
        }
    }
}
