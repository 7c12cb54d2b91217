//! What must be looked at before a list leaves the office: characters the
//! CP932 label software cannot print, fields too long for the label, and
//! words that must never be printed.

use serde::{Deserialize, Serialize};

use daicho_ledger::dm::Addressee;
use daicho_text::PostalPlace;

use crate::list::{Column, DmField, DmRow};

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
    /// A character the print's typeface lacks: it would print as a box.
    NotInFont {
        character: String,
    },
    /// Squeezed to `percent` of its length, below what still reads.
    DoesNotFit {
        percent: u32,
    },
    /// Printed without the customer barcode, and why.
    NoBarcode {
        reason: String,
    },
    /// The piece lacks what a carrier needs, or goes to a company alone.
    Addressing {
        reason: String,
    },
}

impl Problem {
    /// The problem in the office's words (the screen has its own catalog).
    pub fn describe(&self) -> String {
        match self {
            Self::NotInCp932 {
                character,
                replacement,
            } => format!(
                "「{character}」（U+{:04X}）は CP932 にないため「{replacement}」にします",
                character.chars().next().map_or(0, u32::from)
            ),
            Self::TooLong { limit, length } => format!("{length} 文字（上限 {limit}）"),
            Self::BannedWord { word } => format!("印刷してはいけない語「{word}」"),
            Self::PostalMismatch { expected } if expected.is_empty() => {
                "日本郵便のデータにない郵便番号".to_string()
            }
            Self::PostalMismatch { expected } => format!("郵便番号の地域は「{expected}」"),
            Self::NotInFont { character } => format!(
                "「{character}」（U+{:04X}）は印刷の書体になく、四角で印刷されます",
                character.chars().next().map_or(0, u32::from)
            ),
            Self::DoesNotFit { percent } => {
                format!("枠に収まりません（{percent}% まで縮めても入りきらず、はみ出します）")
            }
            Self::NoBarcode { reason } => format!("バーコードなしで印刷します（{reason}）"),
            Self::Addressing { reason } => reason.clone(),
        }
    }
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

/// Checks a list row by row as it is built; `cp932` adds the character check.
pub struct Checker<'a> {
    columns: &'a [Column],
    options: &'a CheckOptions,
    cp932: bool,
    /// The last postal code looked up and the places Japan Post gives it:
    /// a postal-code-ordered list asks for the same code many times running.
    places: (String, Vec<PostalPlace>),
}

impl<'a> Checker<'a> {
    pub fn new(columns: &'a [Column], options: &'a CheckOptions, cp932: bool) -> Self {
        Self {
            columns,
            options,
            cp932,
            places: (String::new(), Vec::new()),
        }
    }

    /// Every problem of the printed cells of list row `row` (1-based);
    /// `cells` are its values in the checker's columns.
    pub fn check(
        &mut self,
        row: u32,
        dm_row: &DmRow,
        cells: &[String],
        problems: &mut Vec<RowProblem>,
    ) {
        let customer_id = dm_row.customer_ids[0];
        if let Some(expected) = self.postal_mismatch(&dm_row.addressee) {
            let a = &dm_row.addressee;
            problems.push(RowProblem {
                row,
                customer_id,
                column: "郵便番号".into(),
                value: format!("〒{} {}{}", a.postal_code, a.prefecture, a.city),
                problem: Problem::PostalMismatch { expected },
            });
        }
        for (column, value) in self.columns.iter().zip(cells) {
            let mut report = |problem: Problem| {
                problems.push(RowProblem {
                    row,
                    customer_id,
                    column: column.header.clone(),
                    value: value.clone(),
                    problem,
                });
            };
            if self.cp932 {
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
                DmField::Name | DmField::JointNames => Some(self.options.max_name_chars),
                DmField::Address1 | DmField::Address2 => Some(self.options.max_address_chars),
                _ => None,
            };
            if let Some(limit) = limit {
                let length = value.chars().count() as u32;
                if length > limit {
                    report(Problem::TooLong { limit, length });
                }
            }
            for word in self
                .options
                .banned_words
                .iter()
                .filter(|w| !w.is_empty() && value.contains(w.as_str()))
            {
                report(Problem::BannedWord { word: word.clone() });
            }
        }
    }

    /// Where the postal code says the address is, when that is not where the
    /// row says it is ("" when Japan Post has no such code).
    fn postal_mismatch(&mut self, a: &Addressee) -> Option<String> {
        if self.places.0 != a.postal_code {
            self.places = (
                a.postal_code.clone(),
                daicho_text::lookup_postal(&a.postal_code),
            );
        }
        let places = &self.places.1;
        let fits = places
            .iter()
            .any(|p| p.prefecture == a.prefecture && p.city == a.city);
        match places.first() {
            _ if fits => None,
            Some(place) => Some(format!("{}{}", place.prefecture, place.city)),
            None => Some(String::new()),
        }
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
