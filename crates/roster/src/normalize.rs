//! One roster row to one ledger record. Every value is normalized by the
//! Japanese text rules; a value that cannot be understood is kept in the
//! notes with its column name and reported: nothing is dropped silently.

use daicho_ledger::import::{ImportRecord, RowRef};
use daicho_ledger::{CustomerFields, HouseholdMember, Status};
use serde::{Deserialize, Serialize};

use crate::columns::Field;
use crate::read::Cell;
use crate::status_map::{map_status, strip_dm_marker};

/// A problem with one cell, located as Excel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CellWarning {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// What became of one row.
pub enum RowOutcome {
    Record(Box<ImportRecord>),
    /// Not a customer: the reason, in Japanese.
    Skipped(String),
    Blank,
}

/// A column of the sheet: its letter, header and what it holds.
#[derive(Debug, Clone)]
pub struct Column {
    pub index: usize,
    pub header: String,
    pub field: Option<Field>,
}

/// Column letters as Excel writes them (0 → A, 26 → AA).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

const DM_NO: &[&str] = &[
    "不要",
    "×",
    "✕",
    "x",
    "しない",
    "dm不可",
    "送付しない",
    "不可",
    "なし",
    "無",
    "否",
    "ng",
    "停止",
    "送らない",
    "送付不要",
];
const DM_YES: &[&str] = &[
    "要", "○", "〇", "◯", "可", "する", "送付", "有", "あり", "ok", "必要",
];
const FOOTER_WORDS: &[&str] = &["合計", "総計", "小計", "計"];

pub struct RowContext<'a> {
    pub sheet: &'a str,
    /// 1-based, as Excel shows it.
    pub row: u32,
    pub columns: &'a [Column],
    pub statuses: &'a [Status],
    /// Status wordings already resolved in this file (most files use a
    /// handful of wordings over thousands of rows).
    pub status_cache: &'a std::cell::RefCell<std::collections::HashMap<String, Option<i64>>>,
    /// The status a sheet's name gives its rows (シート「商談中」).
    pub sheet_status: Option<i64>,
}

impl RowContext<'_> {
    fn warn(&self, warnings: &mut Vec<CellWarning>, column: &Column, message: String) {
        warnings.push(CellWarning {
            sheet: self.sheet.to_string(),
            row: self.row,
            column: format!("{}列（{}）", column_letter(column.index), column.header),
            message,
        });
    }
}

fn is_footer(first: &str) -> bool {
    let text = daicho_text::fold_width(first).replace(' ', "");
    FOOTER_WORDS.iter().any(|w| {
        text.starts_with(w)
            && (text.len() == w.len()
                || text[w.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '：'))
    })
}

fn keep(column: &Column, raw: &str, notes: &mut Vec<String>) {
    notes.push(format!("{}: {}", column.header, raw));
}

/// Reads one row into a record, or says why it is not a customer.
pub fn normalize_row(
    ctx: &RowContext,
    cells: &[Cell],
    warnings: &mut Vec<CellWarning>,
) -> RowOutcome {
    let value = |c: &Column| cells.get(c.index).cloned().unwrap_or(Cell::Empty);
    let texts: Vec<String> = cells.iter().map(Cell::text).collect();
    let Some(first) = texts.iter().find(|t| !t.is_empty()) else {
        return RowOutcome::Blank;
    };
    if is_footer(first) {
        return RowOutcome::Skipped(format!("合計行です（「{first}」）"));
    }

    let mut f = CustomerFields {
        status_id: ctx.sheet_status,
        ..CustomerFields::default()
    };
    let (mut name, mut kana) = (String::new(), String::new());
    let (mut family, mut given, mut family_kana, mut given_kana) =
        (String::new(), String::new(), String::new(), String::new());
    let (mut address, mut city_street) = (String::new(), String::new());
    let mut notes: Vec<String> = Vec::new();
    let mut members = Vec::new();
    let mut joint_names = Vec::new();

    for column in ctx.columns {
        let cell = value(column);
        let raw = cell.text();
        if raw.is_empty() {
            continue;
        }
        let Some(field) = column.field else { continue };
        match field {
            Field::Name => name = raw,
            Field::FamilyName => family = raw,
            Field::GivenName => given = raw,
            Field::Kana => kana = raw,
            Field::FamilyKana => family_kana = raw,
            Field::GivenKana => given_kana = raw,
            Field::Company => f.company = daicho_text::collapse_spaces(&raw),
            Field::Postal => match daicho_text::normalize_postal(&raw) {
                Some(p) => f.postal_code = p,
                None => {
                    ctx.warn(
                        warnings,
                        column,
                        format!("郵便番号「{raw}」を読み取れません。備考に残しました。"),
                    );
                    keep(column, &raw, &mut notes);
                }
            },
            Field::Address => address = raw,
            Field::Prefecture => f.prefecture = daicho_text::fold_width(raw.trim()),
            Field::City => f.city = daicho_text::fold_width(raw.trim()),
            Field::CityStreet => city_street = raw,
            Field::Street => f.address1 = daicho_text::address::fold_address(&raw),
            Field::Building => f.address2 = daicho_text::address::fold_address(&raw),
            Field::Phone | Field::Mobile => match daicho_text::normalize_phone(&raw) {
                Some(p) => {
                    let mobile = ["070", "080", "090", "020"]
                        .iter()
                        .any(|m| p.starts_with(m));
                    let slot = if mobile || field == Field::Mobile {
                        &mut f.mobile
                    } else {
                        &mut f.phone
                    };
                    if slot.is_empty() {
                        *slot = p;
                    } else if f.phone.is_empty() {
                        f.phone = p;
                    } else {
                        keep(column, &raw, &mut notes);
                    }
                }
                None => {
                    ctx.warn(
                        warnings,
                        column,
                        format!("電話番号「{raw}」を読み取れません。備考に残しました。"),
                    );
                    keep(column, &raw, &mut notes);
                }
            },
            Field::Email => f.email = daicho_text::fold_width(raw.trim()),
            Field::Birthday => {
                let date = match &cell {
                    Cell::Date(d) => Some(*d),
                    Cell::Number(n) => daicho_text::from_excel_serial(*n),
                    _ => daicho_text::parse_date(&raw),
                };
                match date {
                    Some(d) if d <= chrono::Local::now().date_naive() => {
                        f.birthday = Some(d.format("%Y-%m-%d").to_string())
                    }
                    _ => {
                        ctx.warn(
                            warnings,
                            column,
                            format!(
                                "生年月日「{raw}」を日付として読み取れません。備考に残しました。"
                            ),
                        );
                        keep(column, &raw, &mut notes);
                    }
                }
            }
            Field::Status => {
                let (text, dm_no) = strip_dm_marker(&raw);
                f.dm_opt_out |= dm_no;
                if text.is_empty() {
                    continue;
                }
                let cached = ctx.status_cache.borrow().get(&text).copied();
                let status = cached.unwrap_or_else(|| {
                    let found = map_status(&text, ctx.statuses).map(|s| s.id);
                    ctx.status_cache.borrow_mut().insert(text.clone(), found);
                    found
                });
                match status {
                    Some(id) => f.status_id = Some(id),
                    None => {
                        ctx.warn(
                            warnings,
                            column,
                            format!(
                                "区分「{text}」に当たるステータスがありません。備考に残しました。"
                            ),
                        );
                        keep(column, &raw, &mut notes);
                    }
                }
            }
            Field::Staff => keep(column, &raw, &mut notes),
            Field::Source => f.source = daicho_text::collapse_spaces(&raw),
            Field::Dm => {
                let key = crate::columns::header_key(&raw);
                if DM_NO.iter().any(|w| crate::columns::header_key(w) == key)
                    || key.contains("不要")
                    || key.contains("不可")
                {
                    f.dm_opt_out = true;
                } else if !DM_YES.iter().any(|w| crate::columns::header_key(w) == key) {
                    ctx.warn(
                        warnings,
                        column,
                        format!("DM欄「{raw}」の意味が分かりません。備考に残しました。"),
                    );
                    keep(column, &raw, &mut notes);
                }
            }
            Field::JointName => joint_names.push(daicho_text::collapse_spaces(&raw)),
            Field::Notes => notes.push(raw.trim().to_string()),
            Field::Ignore => {}
        }
    }
    // Unmapped columns with a value go to the notes as "header: value".
    for column in ctx
        .columns
        .iter()
        .filter(|c| c.field.is_none() && !c.header.is_empty())
    {
        let raw = value(column).text();
        if !raw.is_empty() {
            keep(column, &raw, &mut notes);
        }
    }

    let person = if family.is_empty() && given.is_empty() {
        daicho_text::split_person(&name, &kana)
    } else {
        daicho_text::PersonName {
            family: daicho_text::collapse_spaces(&family),
            given: daicho_text::collapse_spaces(&given),
            family_kana: daicho_text::kana::normalize_kana(&family_kana),
            given_kana: daicho_text::kana::normalize_kana(&given_kana),
            needs_review: false,
        }
    };
    if person.needs_review && !person.family.is_empty() {
        if let Some(column) = ctx
            .columns
            .iter()
            .find(|c| matches!(c.field, Some(Field::Name) | Some(Field::Kana)))
        {
            ctx.warn(warnings, column, format!("「{}」を姓と名に分けられませんでした。姓の欄にまとめて保存します。確認してください。", person.family));
        }
    }
    f.family_name = person.family;
    f.given_name = person.given;
    f.family_kana = person.family_kana;
    f.given_kana = person.given_kana;

    let one_line = if !address.is_empty() {
        address
    } else if !city_street.is_empty() {
        format!("{}{}", f.prefecture, city_street)
    } else {
        String::new()
    };
    if !one_line.is_empty() {
        let parts = daicho_text::split_address(&one_line);
        if !parts.prefecture.is_empty() {
            f.prefecture = parts.prefecture;
        }
        if !parts.city.is_empty() {
            f.city = parts.city;
        }
        f.address1 = parts.rest;
    }
    for joint in joint_names {
        let name = if joint.contains(' ') {
            joint
        } else {
            format!("{} {joint}", f.family_name)
        };
        members.push(HouseholdMember {
            id: None,
            name,
            kana: String::new(),
            relation: String::new(),
            birthday: None,
            joint_name: true,
        });
    }
    f.notes = notes.join("\n");

    if f.family_name.is_empty() {
        return RowOutcome::Skipped("氏名がありません".into());
    }
    let has_address = !f.address1.is_empty() || !f.city.is_empty();
    if !has_address && f.phone.is_empty() && f.mobile.is_empty() && f.email.is_empty() {
        return RowOutcome::Skipped("住所・電話・携帯・メールのどれもありません".into());
    }
    RowOutcome::Record(Box::new(ImportRecord {
        origin: vec![RowRef {
            sheet: ctx.sheet.to_string(),
            row: ctx.row,
        }],
        fields: f,
        members,
        overwrite: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn footers() {
        assert!(is_footer("合計"));
        assert!(is_footer("計 432件"));
        assert!(is_footer("計432件"));
        assert!(!is_footer("計良"));
    }
}
