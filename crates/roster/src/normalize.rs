//! One roster row to one ledger record. Every value is normalized by the
//! Japanese text rules; a value that cannot be understood is kept in the
//! notes with its column name and reported: nothing is dropped silently.

use daicho_ledger::import::{ImportRecord, RowRef};
use daicho_ledger::{CustomerFields, Gender, Honorific, Status};
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
    /// Where the value is in the record's cells.
    pub index: usize,
    /// The sheet's column (differs from `index` on the second row of a
    /// two-row record).
    pub place: usize,
    /// The row of the record the column is on (0, or 1 for the second).
    pub line: u32,
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
    "発送停止",
    "喪中",
];
const DM_YES: &[&str] = &[
    "要",
    "○",
    "〇",
    "◯",
    "可",
    "する",
    "送付",
    "送付する",
    "有",
    "あり",
    "ok",
    "必要",
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
    /// Business contacts (御中, 業者) are imported as companies instead of
    /// being skipped.
    pub include_business: bool,
    /// Surnames the sheet's own rows teach.
    pub surnames: &'a daicho_text::name::KnownSurnames,
}

impl RowContext<'_> {
    fn warn(&self, warnings: &mut Vec<CellWarning>, column: &Column, message: String) {
        warnings.push(CellWarning {
            sheet: self.sheet.to_string(),
            row: self.row + column.line,
            column: format!("{}列（{}）", column_letter(column.place), column.header),
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
    match column.header.trim() {
        "" => notes.push(format!("{}列: {raw}", column_letter(column.place))),
        header => notes.push(format!("{header}: {raw}")),
    }
}

/// The address cells of a row, as written: one column for the whole
/// address, or its parts in columns of their own.
#[derive(Default)]
struct AddressCells {
    prefecture: String,
    city: String,
    city_street: String,
    street: String,
    address: String,
    building: String,
}

impl AddressCells {
    fn is_empty(&self) -> bool {
        self.parts().is_empty() && self.building.is_empty()
    }

    fn parts(&self) -> Vec<&str> {
        [
            &self.prefecture,
            &self.city,
            &self.city_street,
            &self.street,
            &self.address,
        ]
        .into_iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect()
    }

    /// The parts as one line, to be split again by the municipality list:
    /// offices fill split columns differently row by row (the town in the
    /// city column, everything in the city column, the prefecture left out
    /// or written twice). A part that repeats the part before it replaces
    /// it, and a part that starts with a prefecture starts the line anew.
    fn line(&self) -> String {
        let mut line = String::new();
        let mut previous = String::new();
        for part in self.parts().into_iter().map(daicho_text::fold_width) {
            if !previous.is_empty() && part.starts_with(&previous) {
                line.truncate(line.len() - previous.len());
            } else if daicho_text::address::PREFECTURES
                .iter()
                .any(|p| part.starts_with(p))
            {
                line.clear();
            }
            line.push_str(&part);
            previous = part;
        }
        line
    }
}

/// Words in a name that make it a company's or an office's.
const COMPANY_WORDS: [&str; 16] = [
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(株)",
    "(有)",
    "㈱",
    "㈲",
    "一般社団法人",
    "社団法人",
    "財団法人",
    "医療法人",
    "学校法人",
    "社会福祉法人",
    "事務所",
];
/// Groups of an address book that hold business contacts, not customers.
const BUSINESS_GROUPS: [&str; 6] = ["業者", "取引先", "協力業者", "仕入先", "外注先", "関連会社"];

/// Why a row is a business contact rather than a customer, if it is one:
/// a company's name where the person's goes, only a company and no person,
/// or a status (group) that an address book uses for suppliers.
fn business_reason(f: &CustomerFields, name_cell: &str) -> Option<&'static str> {
    let name = daicho_text::fold_width(&format!("{}{}{name_cell}", f.family_name, f.given_name));
    if COMPANY_WORDS.iter().any(|w| name.contains(w)) {
        return Some("氏名の欄に会社・事務所の名前があります");
    }
    if f.family_name.is_empty() && !f.company.is_empty() {
        return Some("個人名がなく会社名だけの宛先です");
    }
    None
}

/// Whether a status value names a group of business contacts (業者, 取引先).
pub fn is_business_group(value: &str) -> bool {
    let key = crate::columns::header_key(value);
    BUSINESS_GROUPS
        .iter()
        .any(|g| crate::columns::header_key(g) == key)
}

/// A business contact the user chose to import: the company is the name,
/// addressed 御中.
fn as_company(f: &mut CustomerFields) {
    if f.company.is_empty() {
        f.company = format!("{}{}", f.family_name, f.given_name);
    }
    if f.family_name.is_empty() {
        f.family_name = f.company.clone();
    }
    f.honorific = Honorific::Onchu;
}

fn gender(value: &str) -> Option<Gender> {
    match daicho_text::fold_width(value.trim())
        .to_lowercase()
        .as_str()
    {
        "男" | "男性" | "m" | "male" => Some(Gender::Male),
        "女" | "女性" | "f" | "female" => Some(Gender::Female),
        _ => None,
    }
}

/// A mark that says yes in a flag column (喪中 ○, 送付しない 1); 0, ×, no
/// and empty say nothing.
fn is_mark(value: &str) -> bool {
    let v = daicho_text::fold_width(value.trim()).to_lowercase();
    !(v.is_empty()
        || [
            "0",
            "×",
            "✕",
            "x",
            "-",
            "なし",
            "無",
            "no",
            "false",
            "いいえ",
        ]
        .contains(&v.as_str()))
}

/// Puts a phone number where it belongs: a mobile number in the mobile
/// field, any other in the phone field. A second number of one cell only
/// takes an empty mobile field. False when there is no place for it.
fn place_phone(f: &mut CustomerFields, number: String, field: Field, second: bool) -> bool {
    let mobile = daicho_text::is_mobile(&number);
    if second {
        if mobile && f.mobile.is_empty() {
            f.mobile = number;
            return true;
        }
        return false;
    }
    let slot = if mobile || field == Field::Mobile {
        &mut f.mobile
    } else {
        &mut f.phone
    };
    if slot.is_empty() {
        *slot = number;
    } else if f.phone.is_empty() {
        f.phone = number;
    } else {
        return false;
    }
    true
}

/// The surnames a sheet teaches: every row whose name and kana are both
/// written with a space (the first person of a cell with joint names).
pub fn surnames_taught<'r>(
    columns: &[Column],
    rows: impl IntoIterator<Item = &'r [Cell]>,
) -> daicho_text::name::KnownSurnames {
    let mut known = daicho_text::name::KnownSurnames::default();
    let column_of = |field: Field| {
        columns
            .iter()
            .find(|c| c.field == Some(field))
            .map(|c| c.index)
    };
    let (Some(name), Some(kana)) = (column_of(Field::Name), column_of(Field::Kana)) else {
        return known;
    };
    for row in rows {
        let text = |i: usize| row.get(i).map(Cell::text).unwrap_or_default();
        let (name, _) = crate::household::split_joint_names(&text(name));
        let (kana, _) = crate::household::split_joint_names(&text(kana));
        known.learn(&name, &kana);
    }
    known
}

/// C0 control characters (NUL, BEL, ESC…) and DEL, which a roster should not carry: they
/// are invisible on screen and break labels and exports. Tab and line breaks
/// stay, for the fields that keep them.
fn is_stripped_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A cell's text without control characters, warned about on its cell.
fn without_controls(
    ctx: &RowContext,
    warnings: &mut Vec<CellWarning>,
    column: &Column,
    text: String,
) -> String {
    let stripped = text.chars().filter(|c| is_stripped_control(*c)).count();
    if stripped == 0 {
        return text;
    }
    ctx.warn(
        warnings,
        column,
        format!("目に見えない制御文字を{stripped}個取り除きました。"),
    );
    text.chars().filter(|c| !is_stripped_control(*c)).collect()
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
    let mut address = AddressCells::default();
    let mut postal_column = None;
    let mut notes: Vec<String> = Vec::new();
    let mut members = Vec::new();
    let mut joint_names = Vec::new();
    let mut joint_kana = Vec::new();
    let mut family_cells = Vec::new();
    let mut business = None;

    for column in ctx.columns {
        let cell = value(column);
        let raw = without_controls(ctx, warnings, column, cell.text());
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
                Some(p) => {
                    if !daicho_text::postal_exists(&p) {
                        ctx.warn(
                            warnings,
                            column,
                            format!("郵便番号「{p}」は日本郵便の郵便番号データにありません。確認してください。"),
                        );
                    }
                    postal_column = Some(column);
                    f.postal_code = p;
                }
                None => {
                    ctx.warn(
                        warnings,
                        column,
                        format!("郵便番号「{raw}」を読み取れません。備考に残しました。"),
                    );
                    keep(column, &raw, &mut notes);
                }
            },
            // 自宅住所1–3: the lines of one address, in order.
            Field::Address => {
                if !address.address.is_empty() {
                    address.address.push(' ');
                }
                address.address.push_str(&raw);
            }
            Field::Prefecture => address.prefecture = raw,
            Field::City => address.city = raw,
            Field::CityStreet => address.city_street = raw,
            Field::Street => address.street = raw,
            Field::Building => address.building = raw,
            Field::Phone | Field::Mobile => {
                let numbers = daicho_text::split_phones(&raw);
                if numbers.is_empty() {
                    ctx.warn(
                        warnings,
                        column,
                        format!("電話番号「{raw}」を読み取れません。備考に残しました。"),
                    );
                    keep(column, &raw, &mut notes);
                }
                for (i, number) in numbers.into_iter().enumerate() {
                    if !place_phone(&mut f, number.clone(), field, i > 0) {
                        keep(column, &number, &mut notes);
                    }
                }
            }
            Field::Email => f.email = daicho_text::fold_width(raw.trim()),
            Field::Birthday => {
                let date = match &cell {
                    Cell::Date(d) => Ok(*d),
                    Cell::Number(n) => {
                        daicho_text::from_excel_serial(*n).ok_or(daicho_text::DateError::Unreadable)
                    }
                    _ => daicho_text::read_date(&raw),
                };
                match date {
                    Ok(d) if d <= chrono::Local::now().date_naive() => {
                        f.birthday = Some(d.format("%Y-%m-%d").to_string())
                    }
                    Ok(_) => {
                        ctx.warn(
                            warnings,
                            column,
                            format!("生年月日「{raw}」が今日より後の日付です。備考に残しました。"),
                        );
                        keep(column, &raw, &mut notes);
                    }
                    Err(e) => {
                        ctx.warn(
                            warnings,
                            column,
                            format!("生年月日「{raw}」を日付として読み取れません（{e}）。備考に残しました。"),
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
                if is_business_group(&text) {
                    business = Some("グループ（区分）が取引先・業者です");
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
            Field::JointKana => joint_kana.push(raw),
            Field::Family => family_cells.push(raw),
            Field::Honorific => {
                if daicho_text::fold_width(&raw).contains("御中") {
                    business = Some("敬称が「御中」の宛先です");
                }
            }
            Field::Gender => match gender(&raw) {
                Some(g) => f.gender = Some(g),
                None => keep(column, &raw, &mut notes),
            },
            Field::Handover => {
                let date = match &cell {
                    Cell::Date(d) => Some(*d),
                    Cell::Number(n) => daicho_text::from_excel_serial(*n),
                    _ => daicho_text::parse_date(&raw),
                };
                let text = date.map_or(raw.clone(), |d| d.format("%Y-%m-%d").to_string());
                keep(column, &text, &mut notes);
            }
            Field::Fax => keep(column, &raw, &mut notes),
            Field::DmStop => {
                if is_mark(&raw) {
                    f.dm_opt_out = true;
                }
            }
            Field::Notes => notes.push(raw.trim().to_string()),
            Field::Ignore => {}
        }
    }
    // Unmapped columns with a value go to the notes as "header: value"
    // (a column without a header by its letter): nothing is dropped unseen.
    for column in ctx.columns.iter().filter(|c| c.field.is_none()) {
        let raw: String = value(column)
            .text()
            .chars()
            .filter(|c| !is_stripped_control(*c))
            .collect();
        if !raw.is_empty() {
            keep(column, &raw, &mut notes);
        }
    }

    // 連名 in the name cell (遠藤 太郎、和子): the first is the customer.
    let (name, joint_in_name) = crate::household::split_joint_names(&name);
    let (kana, joint_kana_in_name) = crate::household::split_joint_names(&kana);
    joint_names.extend(joint_in_name);
    joint_kana.extend(joint_kana_in_name);
    let person = if family.is_empty() && given.is_empty() {
        daicho_text::name::split_person_knowing(&name, &kana, ctx.surnames)
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

    if !address.is_empty() {
        let (read, problems) =
            daicho_text::read_address(&address.line(), &address.building, &f.postal_code);
        if let Some(column) = postal_column {
            for problem in problems {
                ctx.warn(warnings, column, problem.to_string());
            }
        }
        f.prefecture = read.prefecture;
        f.city = read.city;
        f.address1 = read.street;
        f.address2 = read.building;
    }
    members.extend(crate::household::joint_members(
        &joint_names,
        &joint_kana,
        &f.family_name,
    ));
    for cell in &family_cells {
        members.extend(crate::household::family_members(cell, &f.family_name));
    }
    f.notes = notes.join("\n");

    let business = business.or_else(|| business_reason(&f, &name));
    if let Some(reason) = business {
        if !ctx.include_business {
            return RowOutcome::Skipped(format!(
                "{reason}。取引先・業者は顧客として取り込みません（取り込む場合は「取引先も取り込む」を選んでください）"
            ));
        }
        as_company(&mut f);
    }
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
