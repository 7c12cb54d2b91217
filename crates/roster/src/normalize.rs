//! One roster row to one ledger record. Every value is normalized by the
//! Japanese text rules; a value that cannot be understood is kept in the
//! notes with its column name and reported: nothing is dropped silently.

use daicho_ledger::import::{ImportRecord, RowRef};
use daicho_ledger::{CustomerFields, Gender, Honorific, HouseholdMember, Status};
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
    pub status_cache: &'a std::sync::Mutex<std::collections::HashMap<String, Option<i64>>>,
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

    let mut row = RowReader::new(ctx, warnings);
    for column in ctx.columns {
        row.read(column, &value(column));
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
            row.keep(column, &raw);
        }
    }
    row.finish()
}

/// The name cells of a row as written: the whole name and its kana in one
/// cell each, or the family and given names apart; joint names (連名) from
/// columns of their own.
#[derive(Default)]
struct NameCells {
    name: String,
    kana: String,
    family: String,
    given: String,
    family_kana: String,
    given_kana: String,
    joint_names: Vec<String>,
    joint_kana: Vec<String>,
}

/// One row being read, column by column. Most cells go straight to their
/// field; the name, the address and the household can only be worked out
/// once every cell is in (a name cell needs its kana cell, an address is
/// spread over several columns), so those cells are gathered first.
struct RowReader<'r> {
    ctx: &'r RowContext<'r>,
    warnings: &'r mut Vec<CellWarning>,
    f: CustomerFields,
    names: NameCells,
    address: AddressCells,
    /// Where the postal code came from: the address's problems (a postal
    /// code of another prefecture) are reported on that cell.
    postal_column: Option<&'r Column>,
    notes: Vec<String>,
    family_cells: Vec<String>,
    /// Why a cell says the row is a business contact (御中, a 業者 group).
    business: Option<&'static str>,
}

impl<'r> RowReader<'r> {
    fn new(ctx: &'r RowContext<'r>, warnings: &'r mut Vec<CellWarning>) -> Self {
        RowReader {
            ctx,
            warnings,
            f: CustomerFields {
                status_id: ctx.sheet_status,
                ..CustomerFields::default()
            },
            names: NameCells::default(),
            address: AddressCells::default(),
            postal_column: None,
            notes: Vec::new(),
            family_cells: Vec::new(),
            business: None,
        }
    }

    fn warn(&mut self, column: &Column, message: String) {
        self.ctx.warn(self.warnings, column, message);
    }

    /// Keeps a value in the notes as 「見出し: 値」 (a column without a
    /// header by its letter).
    fn keep(&mut self, column: &Column, value: &str) {
        match column.header.trim() {
            "" => self
                .notes
                .push(format!("{}列: {value}", column_letter(column.place))),
            header => self.notes.push(format!("{header}: {value}")),
        }
    }

    /// A value that cannot be read is never dropped: it is kept in the notes
    /// and the warning says what was wrong and where the value went.
    fn unreadable(&mut self, column: &Column, value: &str, problem: String) {
        self.warn(column, format!("{problem}備考に残しました。"));
        self.keep(column, value);
    }

    /// Reads one cell into the field its column holds.
    fn read(&mut self, column: &'r Column, cell: &Cell) {
        let raw = without_controls(self.ctx, self.warnings, column, cell.text());
        if raw.is_empty() {
            return;
        }
        let Some(field) = column.field else { return };
        match field {
            Field::Name => self.names.name = raw,
            Field::FamilyName => self.names.family = raw,
            Field::GivenName => self.names.given = raw,
            Field::Kana => self.names.kana = raw,
            Field::FamilyKana => self.names.family_kana = raw,
            Field::GivenKana => self.names.given_kana = raw,
            Field::Company => self.f.company = daicho_text::collapse_spaces(&raw),
            Field::Postal => self.postal(column, &raw),
            // 自宅住所1–3: the lines of one address, in order.
            Field::Address => {
                if !self.address.address.is_empty() {
                    self.address.address.push(' ');
                }
                self.address.address.push_str(&raw);
            }
            Field::Prefecture => self.address.prefecture = raw,
            Field::City => self.address.city = raw,
            Field::CityStreet => self.address.city_street = raw,
            Field::Street => self.address.street = raw,
            Field::Building => self.address.building = raw,
            Field::Phone | Field::Mobile => self.phones(column, field, &raw),
            Field::Email => self.f.email = daicho_text::fold_width(raw.trim()),
            Field::Birthday => self.birthday(column, cell, &raw),
            Field::Status => self.status(column, &raw),
            Field::Staff => self.keep(column, &raw),
            Field::Source => self.f.source = daicho_text::collapse_spaces(&raw),
            Field::Dm => self.dm(column, &raw),
            Field::JointName => self
                .names
                .joint_names
                .push(daicho_text::collapse_spaces(&raw)),
            Field::JointKana => self.names.joint_kana.push(raw),
            Field::Family => self.family_cells.push(raw),
            Field::Honorific => {
                if daicho_text::fold_width(&raw).contains("御中") {
                    self.business = Some("敬称が「御中」の宛先です");
                }
            }
            Field::Gender => match gender(&raw) {
                Some(g) => self.f.gender = Some(g),
                None => self.keep(column, &raw),
            },
            Field::Handover => self.handover(column, cell, &raw),
            Field::Fax => self.keep(column, &raw),
            Field::DmStop => {
                if is_mark(&raw) {
                    self.f.dm_opt_out = true;
                }
            }
            Field::Notes => self.notes.push(raw.trim().to_string()),
            Field::Ignore => {}
        }
    }

    /// A postal code Japan Post does not list is kept but questioned: it
    /// may be new, or mistyped.
    fn postal(&mut self, column: &'r Column, raw: &str) {
        let Some(postal) = daicho_text::normalize_postal(raw) else {
            return self.unreadable(column, raw, format!("郵便番号「{raw}」を読み取れません。"));
        };
        if !daicho_text::postal_exists(&postal) {
            self.warn(
                column,
                format!(
                    "郵便番号「{postal}」は日本郵便の郵便番号データにありません。\
                     確認してください。"
                ),
            );
        }
        self.postal_column = Some(column);
        self.f.postal_code = postal;
    }

    /// A phone cell may hold two numbers; each goes where `place_phone`
    /// puts it, or to the notes when there is no place left.
    fn phones(&mut self, column: &Column, field: Field, raw: &str) {
        let numbers = daicho_text::split_phones(raw);
        if numbers.is_empty() {
            self.unreadable(column, raw, format!("電話番号「{raw}」を読み取れません。"));
        }
        for (i, number) in numbers.into_iter().enumerate() {
            if !place_phone(&mut self.f, number.clone(), field, i > 0) {
                self.keep(column, &number);
            }
        }
    }

    /// A birthday from a date cell, an Excel serial number or text (和暦
    /// too); a date after today is a typing mistake, not a birthday.
    fn birthday(&mut self, column: &Column, cell: &Cell, raw: &str) {
        let date = match cell {
            Cell::Date(d) => Ok(*d),
            Cell::Number(n) => {
                daicho_text::from_excel_serial(*n).ok_or(daicho_text::DateError::Unreadable)
            }
            _ => daicho_text::read_date(raw),
        };
        match date {
            Ok(d) if d <= chrono::Local::now().date_naive() => {
                self.f.birthday = Some(d.format("%Y-%m-%d").to_string())
            }
            Ok(_) => {
                let problem = format!("生年月日「{raw}」が今日より後の日付です。");
                self.unreadable(column, raw, problem);
            }
            Err(e) => {
                let problem = format!("生年月日「{raw}」を日付として読み取れません（{e}）。");
                self.unreadable(column, raw, problem);
            }
        }
    }

    /// A status cell may say DM stop beside the status, or name a group of
    /// business contacts rather than a status. Its wording is mapped once
    /// per file (a file repeats a handful of wordings over all its rows).
    fn status(&mut self, column: &Column, raw: &str) {
        let (text, dm_no) = strip_dm_marker(raw);
        self.f.dm_opt_out |= dm_no;
        if text.is_empty() {
            return;
        }
        if is_business_group(&text) {
            self.business = Some("グループ（区分）が取引先・業者です");
            return;
        }
        let ctx = self.ctx;
        // Shared by the rows normalized at once on every core.
        let cache = || {
            ctx.status_cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let cached = cache().get(&text).copied();
        let status = cached.unwrap_or_else(|| {
            let found = map_status(&text, ctx.statuses).map(|s| s.id);
            cache().insert(text.clone(), found);
            found
        });
        match status {
            Some(id) => self.f.status_id = Some(id),
            None => {
                let problem = format!("区分「{text}」に当たるステータスがありません。");
                self.unreadable(column, raw, problem);
            }
        }
    }

    /// A DM column says no (不要, ×, 停止…) or yes (要, ○…); anything else
    /// is not guessed at.
    fn dm(&mut self, column: &Column, raw: &str) {
        let key = crate::columns::header_key(raw);
        let says = |words: &[&str]| words.iter().any(|w| crate::columns::header_key(w) == key);
        if says(DM_NO) || key.contains("不要") || key.contains("不可") {
            self.f.dm_opt_out = true;
        } else if !says(DM_YES) {
            self.unreadable(column, raw, format!("DM欄「{raw}」の意味が分かりません。"));
        }
    }

    /// The handover date goes to the notes, written as a date when it
    /// reads as one.
    fn handover(&mut self, column: &Column, cell: &Cell, raw: &str) {
        let date = match cell {
            Cell::Date(d) => Some(*d),
            Cell::Number(n) => daicho_text::from_excel_serial(*n),
            _ => daicho_text::parse_date(raw),
        };
        let text = date.map_or(raw.to_string(), |d| d.format("%Y-%m-%d").to_string());
        self.keep(column, &text);
    }

    /// Works out the name, the address and the household from the cells
    /// gathered, then makes the record or says why the row is skipped.
    fn finish(mut self) -> RowOutcome {
        let names = std::mem::take(&mut self.names);
        // 連名 in the name cell (遠藤 太郎、和子): the first is the customer.
        let (name, joint_in_name) = crate::household::split_joint_names(&names.name);
        let (kana, joint_kana_in_name) = crate::household::split_joint_names(&names.kana);
        self.read_person(&names, &name, &kana);
        self.read_address();

        let joint_names = [names.joint_names, joint_in_name].concat();
        let joint_kana = [names.joint_kana, joint_kana_in_name].concat();
        let family = &self.f.family_name;
        let mut members = crate::household::joint_members(&joint_names, &joint_kana, family);
        for cell in &self.family_cells {
            members.extend(crate::household::family_members(cell, family));
        }
        self.f.notes = self.notes.join("\n");
        let business = self.business.or_else(|| business_reason(&self.f, &name));
        record_or_skip(self.ctx, self.f, members, business)
    }

    /// The person's name: one cell split by the surname list (and the
    /// surnames the file teaches), or the family and given columns as
    /// written.
    fn read_person(&mut self, names: &NameCells, name: &str, kana: &str) {
        let person = if names.family.is_empty() && names.given.is_empty() {
            daicho_text::name::split_person_knowing(name, kana, self.ctx.surnames)
        } else {
            daicho_text::PersonName {
                family: daicho_text::collapse_spaces(&names.family),
                given: daicho_text::collapse_spaces(&names.given),
                family_kana: daicho_text::kana::normalize_kana(&names.family_kana),
                given_kana: daicho_text::kana::normalize_kana(&names.given_kana),
                needs_review: false,
            }
        };
        if person.needs_review && !person.family.is_empty() {
            let ctx = self.ctx;
            if let Some(column) = ctx
                .columns
                .iter()
                .find(|c| matches!(c.field, Some(Field::Name) | Some(Field::Kana)))
            {
                let message = format!(
                    "「{}」を姓と名に分けられませんでした。\
                     姓の欄にまとめて保存します。確認してください。",
                    person.family
                );
                self.warn(column, message);
            }
        }
        self.f.family_name = person.family;
        self.f.given_name = person.given;
        self.f.family_kana = person.family_kana;
        self.f.given_kana = person.given_kana;
    }

    /// The address cells as one line, split again by the municipality list;
    /// its problems are reported on the postal code's cell.
    fn read_address(&mut self) {
        if self.address.is_empty() {
            return;
        }
        let (read, problems) = daicho_text::read_address(
            &self.address.line(),
            &self.address.building,
            &self.f.postal_code,
        );
        if let Some(column) = self.postal_column {
            for problem in problems {
                self.warn(column, problem.to_string());
            }
        }
        self.f.prefecture = read.prefecture;
        self.f.city = read.city;
        self.f.address1 = read.street;
        self.f.address2 = read.building;
    }
}

/// The row's record, unless it is a business contact the user did not
/// include, or has no name, or no way to reach the person.
fn record_or_skip(
    ctx: &RowContext,
    mut f: CustomerFields,
    members: Vec<HouseholdMember>,
    business: Option<&str>,
) -> RowOutcome {
    if let Some(reason) = business {
        if !ctx.include_business {
            return RowOutcome::Skipped(format!(
                "{reason}。取引先・業者は顧客として取り込みません\
                 （取り込む場合は「取引先も取り込む」を選んでください）"
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
