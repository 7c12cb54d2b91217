//! What must be looked at before a list leaves the office: characters the
//! CP932 label software cannot print, fields too long for the label, and
//! words that must never be printed.

use serde::{Deserialize, Serialize};

use crate::list::{Column, DmRow};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CheckOptions {
    /// Longest name (氏名) in characters.
    pub max_name_chars: u32,
    /// Longest 住所1 / 住所2 in characters.
    pub max_address_chars: u32,
    pub banned_words: Vec<String>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            max_name_chars: 20,
            max_address_chars: 40,
            banned_words: vec!["要注意".into(), "クレーム".into(), "様様".into()],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// A character CP932 cannot hold, and what it would be written as.
    #[serde(rename = "not_in_cp932")]
    NotInCp932 {
        character: String,
        replacement: String,
    },
    TooLong {
        limit: u32,
        length: u32,
    },
    BannedWord {
        word: String,
    },
    /// The postal code belongs elsewhere (or nowhere) by Japan Post's data.
    PostalMismatch {
        expected: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RowProblem {
    /// 1-based row of the list (the header is row 0).
    pub row: u32,
    pub customer_id: i64,
    pub column: String,
    pub value: String,
    pub problem: Problem,
}

/// Common characters outside CP932 and the form a printer expects instead;
/// anything else becomes 〓 (geta), the printers' mark for a missing glyph.
const REPLACEMENTS: &[(char, &str)] = &[
    ('髙', "高"),
    ('﨑', "崎"),
    ('𠮷', "吉"),
    ('德', "徳"),
    ('濵', "濱"),
    ('栁', "柳"),
    ('隆', "隆"),
    ('塚', "塚"),
    ('辻', "辻"),
    ('邊', "邊"),
    ('邉', "邉"),
    ('～', "〜"),
];

pub fn replacement(c: char) -> String {
    REPLACEMENTS
        .iter()
        .find(|(from, _)| *from == c)
        .map_or("〓".to_string(), |(_, to)| to.to_string())
}

pub fn fits_cp932(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    !unmappable
}

/// Every problem of every printed cell; `cp932` adds the character check.
pub fn check(
    rows: &[DmRow],
    columns: &[Column],
    options: &CheckOptions,
    cp932: bool,
) -> Vec<RowProblem> {
    use crate::list::DmField;
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(expected) = postal_mismatch(row) {
            let a = &row.addressee;
            problems.push(RowProblem {
                row: i as u32 + 1,
                customer_id: row.customer_ids[0],
                column: "郵便番号".into(),
                value: format!("〒{} {}{}", a.postal_code, a.prefecture, a.city),
                problem: Problem::PostalMismatch { expected },
            });
        }
        for column in columns {
            let value = row.value(column.field);
            let mut report = |problem: Problem| {
                problems.push(RowProblem {
                    row: i as u32 + 1,
                    customer_id: row.customer_ids[0],
                    column: column.header.clone(),
                    value: value.clone(),
                    problem,
                });
            };
            if cp932 {
                let mut seen = Vec::new();
                for c in value.chars().filter(|c| !fits_cp932(*c)) {
                    if !seen.contains(&c) {
                        seen.push(c);
                        report(Problem::NotInCp932 {
                            character: c.to_string(),
                            replacement: replacement(c),
                        });
                    }
                }
            }
            let limit = match column.field {
                DmField::Name | DmField::JointNames => Some(options.max_name_chars),
                DmField::Address1 | DmField::Address2 => Some(options.max_address_chars),
                _ => None,
            };
            let length = value.chars().count() as u32;
            if let Some(limit) = limit.filter(|l| length > *l) {
                report(Problem::TooLong { limit, length });
            }
            for word in options
                .banned_words
                .iter()
                .filter(|w| !w.is_empty() && value.contains(w.as_str()))
            {
                report(Problem::BannedWord { word: word.clone() });
            }
        }
    }
    problems
}

/// Where the postal code says the address is, when that is not where the
/// row says it is ("" when Japan Post has no such code).
fn postal_mismatch(row: &DmRow) -> Option<String> {
    let a = &row.addressee;
    let places = daicho_text::lookup_postal(&a.postal_code);
    let fits = places
        .iter()
        .any(|p| p.prefecture == a.prefecture && p.city == a.city);
    match places.first() {
        _ if fits => None,
        Some(place) => Some(format!("{}{}", place.prefecture, place.city)),
        None => Some(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_gaps_are_known() {
        assert!(fits_cp932('高'));
        assert!(fits_cp932('山'));
        // 髙 and 﨑 are IBM extensions that CP932 (Windows) has and JIS X 0208 lacks.
        assert!(fits_cp932('髙') && fits_cp932('﨑'));
        assert!(!fits_cp932('𠮷'));
        assert_eq!(replacement('𠮷'), "吉");
        assert_eq!(replacement('㐂'), "〓");
    }
}
