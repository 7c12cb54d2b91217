//! Finding the header row and deciding what each column holds, from the
//! header's wording (a synonyms table) and, failing that, from the values.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::read::{Cell, Sheet};

/// What a roster column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 氏名 as one text (split at the space).
    Name,
    FamilyName,
    GivenName,
    /// フリガナ as one text.
    Kana,
    FamilyKana,
    GivenKana,
    Company,
    Postal,
    /// A whole address in one column.
    Address,
    Prefecture,
    City,
    /// City and everything after it (市区町村番地).
    CityStreet,
    Street,
    Building,
    Phone,
    Mobile,
    Email,
    Birthday,
    Status,
    Staff,
    Source,
    Dm,
    JointName,
    /// The kana of a joint name (連名1ふりがな), paired with it in order.
    JointKana,
    /// 家族: household members with their relation (花子（妻）・一郎（長男）).
    Family,
    /// 敬称: 御中 marks a company or a department, not a person.
    Honorific,
    /// 性別.
    Gender,
    /// 引渡日: the handover of the house, not a birthday.
    Handover,
    /// A FAX number: kept in the notes, never taken for the phone.
    Fax,
    /// 喪中, 送付しない: any mark in the column stops DM.
    DmStop,
    Notes,
    /// Chosen by the user: the column is not imported at all. (A column with
    /// no field is kept in the notes instead.)
    Ignore,
}

impl Field {
    /// Fields whose columns are all read, in order, rather than the first.
    pub fn takes_several_columns(self) -> bool {
        matches!(
            self,
            Field::Address
                | Field::JointName
                | Field::JointKana
                | Field::Notes
                | Field::Fax
                | Field::DmStop
                | Field::Ignore
        )
    }
}

/// Header wordings, compared after `header_key` folding.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "氏名",
            "お名前",
            "名前",
            "顧客名",
            "お客様名",
            "施主名",
            "宛名",
            "氏名漢字",
            "契約者名",
            "世帯主氏名",
            "世帯主",
            "世帯主名",
            "施主氏名",
        ],
    ),
    (Field::FamilyName, &["姓", "氏", "苗字", "名字"]),
    (Field::GivenName, &["名"]),
    (
        Field::Kana,
        &[
            "フリガナ",
            "カナ",
            "ヨミ",
            "読み",
            "氏名カナ",
            "顧客名カナ",
            "お名前カナ",
            "カナ氏名",
            "氏名フリガナ",
            "フリガナ氏名",
            "よみがな",
            "ふりがな",
            "世帯主フリガナ",
        ],
    ),
    (
        Field::FamilyKana,
        &["セイ", "姓カナ", "姓フリガナ", "姓よみ"],
    ),
    (
        Field::GivenKana,
        &["メイ", "名カナ", "名フリガナ", "名よみ"],
    ),
    (Field::Company, &["会社名", "法人名", "社名", "企業名"]),
    (
        Field::Postal,
        &[
            "〒",
            "郵便番号",
            "郵便",
            "zip",
            "zipcode",
            "〒番号",
            "郵便no",
        ],
    ),
    (
        Field::Address,
        &["住所", "住所1", "所在地", "現住所", "住所地"],
    ),
    (Field::Prefecture, &["都道府県", "県", "都道府県名"]),
    (Field::City, &["市区町村", "市町村", "市区郡"]),
    (
        Field::CityStreet,
        &[
            "市区町村番地",
            "市区町村以下",
            "住所市区町村以下",
            "市区町村・番地",
        ],
    ),
    (
        Field::Street,
        &["番地", "町名番地", "町域番地", "町名", "丁目番地"],
    ),
    (
        Field::Building,
        &[
            "住所2",
            "建物",
            "建物名",
            "住所2建物",
            "マンション名",
            "方書",
            "建物名部屋番号",
            "部屋番号",
        ],
    ),
    (
        Field::Phone,
        &[
            "電話",
            "tel",
            "電話番号",
            "電話番号1",
            "自宅電話",
            "固定電話",
            "自宅tel",
            "連絡先",
        ],
    ),
    (
        Field::Mobile,
        &[
            "携帯",
            "携帯電話",
            "携帯番号",
            "携帯tel",
            "電話番号2",
            "mobile",
        ],
    ),
    (
        Field::Email,
        &[
            "メール",
            "eメール",
            "email",
            "e-mail",
            "メールアドレス",
            "mail",
            "mailaddress",
        ],
    ),
    (
        Field::Birthday,
        &[
            "生年月日",
            "誕生日",
            "生日",
            "誕生日生年月日",
            "世帯主生年月日",
        ],
    ),
    (
        Field::Status,
        &[
            "区分",
            "ステータス",
            "分類",
            "状態",
            "顧客区分",
            "ランク",
            "顧客ランク",
            "種別",
            // Label software has no status column; offices use its group.
            "グループ",
            "分類グループ",
        ],
    ),
    (Field::Staff, &["担当", "担当者", "営業担当", "担当営業"]),
    (
        Field::Source,
        &[
            "反響元",
            "媒体",
            "きっかけ",
            "来場経路",
            "認知経路",
            "反響媒体",
        ],
    ),
    (
        Field::Dm,
        &[
            "dm", "dm送付", "dm可否", "dm区分", "dm不要", "dm発送", "送付",
        ],
    ),
    (Field::JointName, &["連名", "連名1", "連名者"]),
    (
        Field::JointKana,
        &["連名ふりがな", "連名フリガナ", "連名カナ", "連名よみ"],
    ),
    (
        Field::Family,
        &["家族", "家族構成", "同居家族", "ご家族", "家族氏名"],
    ),
    (Field::Honorific, &["敬称"]),
    (Field::Gender, &["性別", "男女"]),
    (
        Field::Handover,
        &[
            "引渡日",
            "引き渡し日",
            "引渡し日",
            "お引渡し日",
            "引渡年月日",
            "竣工引渡日",
        ],
    ),
    (Field::Fax, &["fax", "ファックス", "ファクス", "fax番号"]),
    (Field::DmStop, &["喪中", "送付しない", "発送停止", "dm停止"]),
    // The honorific of a joint name adds nothing to the ledger.
    (Field::Ignore, &["連名敬称"]),
    (
        Field::Notes,
        &["備考", "メモ", "特記事項", "備考欄", "コメント", "摘要"],
    ),
];

/// Folds a header for comparison: width, kana, case, spaces and brackets.
pub fn header_key(text: &str) -> String {
    key_of_folded(&daicho_text::fold_width(text))
}

/// `header_key` of a text already width-folded.
fn key_of_folded(folded: &str) -> String {
    daicho_text::to_katakana(folded)
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）[]［］「」【】・:：".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every synonym's key and its field, folded once: the first field to list
/// a wording keeps it.
static SYNONYM_KEYS: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
    let mut keys = HashMap::new();
    for (field, words) in SYNONYMS {
        for word in *words {
            keys.entry(header_key(word)).or_insert(*field);
        }
    }
    keys
});

/// Text with every bracketed part removed (after width folding, so only
/// ASCII brackets, and the Japanese ones NFKC keeps, remain to look for).
pub(crate) fn without_notes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '【' | '［' | '[' | '〔' | '＜' | '<' => depth += 1,
            // ※ starts a note that runs to the end (氏名※敬称不要).
            '※' if depth == 0 => break,
            ')' | '】' | '］' | ']' | '〕' | '＞' | '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The field a header names. A bracketed part may be part of the name
/// (顧客名（カナ）, 住所2（建物）) or the office's note to whoever types
/// (生年月日（和暦可）, 電話番号（自宅・携帯）, ※印字しない): the whole header is
/// tried first, then without its notes, then without a number or 欄 (メモ1,
/// 連名2, 住所欄), then without 自宅 (label software's 自宅住所1).
pub fn field_for_header(text: &str) -> Option<Field> {
    let named_folded = |folded: &str| SYNONYM_KEYS.get(&key_of_folded(folded)).copied();
    let named = |text: &str| named_folded(&daicho_text::fold_width(text));
    let whole = daicho_text::fold_width(text);
    let folded = without_notes(&whole);
    let unnumbered: String = folded.chars().filter(|c| !c.is_ascii_digit()).collect();
    let plain = unnumbered.trim_end_matches('欄');
    // Folding twice folds nothing more: a text its notes, numbers or 欄 did
    // not change names what the text before it named (wide sheets ask this
    // of every cell of their first rows).
    named_folded(&whole)
        .or_else(|| (folded != whole).then(|| named(&folded)).flatten())
        .or_else(|| (plain != folded).then(|| named(plain)).flatten())
        // 自宅〒, 自宅住所2, 自宅E-mail: the home's is the customer's.
        .or_else(|| plain.strip_prefix("自宅").and_then(named))
}

/// Where a sheet's table starts and what its columns are.
#[derive(Debug, Clone)]
pub struct Layout {
    /// 0-based index of the (last) header row; data starts below it.
    pub header_row: usize,
    /// The header text of each column (two-row headers joined as 住所/郵便番号).
    /// When each customer takes two rows, the first row's columns and then
    /// the second row's, `width` apart.
    pub headers: Vec<String>,
    /// Rows per customer: 1, or 2 for a ledger that writes フリガナ above
    /// 氏名, the address above the building, TEL above 携帯.
    pub lines: usize,
    /// Columns of one row.
    pub width: usize,
}

impl Layout {
    fn single(header_row: usize, headers: Vec<String>) -> Self {
        let width = headers.len();
        Layout {
            header_row,
            headers,
            lines: 1,
            width,
        }
    }

    /// The sheet column and the line of the record a header index stands for.
    pub fn place(&self, index: usize) -> (usize, usize) {
        (index % self.width.max(1), index / self.width.max(1))
    }
}

/// `field_for_header` remembered per distinct label: finding the header
/// asks about each label of the first rows several times, and a wide sheet
/// has tens of thousands of them.
#[derive(Default)]
struct Known(HashMap<String, Option<Field>>);

impl Known {
    fn field(&mut self, label: &str) -> Option<Field> {
        if label.is_empty() {
            return None;
        }
        if let Some(field) = self.0.get(label) {
            return *field;
        }
        let field = field_for_header(label);
        self.0.insert(label.to_string(), field);
        field
    }
}

/// Columns where the upper and the lower header row each name a field of
/// their own (フリガナ over 氏名, 住所 over 建物名, TEL over 携帯): each
/// customer then takes two rows. A group header over its columns (住所 over
/// 郵便番号 / 住所 / 建物名, merged across them) names a field in one column
/// at most.
fn stacked_columns(known: &mut Known, upper: &[String], lower: &[String]) -> usize {
    upper
        .iter()
        .zip(lower)
        .filter(|(up, low)| {
            let (up, low) = (known.field(up), known.field(low));
            up.is_some() && low.is_some() && up != low
        })
        .count()
}

/// A header whose customers take two rows: the upper row's columns, then
/// the lower row's.
fn two_line(header_row: usize, upper: &[String], lower: &[String]) -> Layout {
    let width = upper.len().max(lower.len());
    let padded = |row: &[String]| {
        let mut row = row.to_vec();
        row.resize(width, String::new());
        row
    };
    Layout {
        header_row,
        headers: [padded(upper), padded(lower)].concat(),
        lines: 2,
        width,
    }
}

const HEADER_SEARCH_ROWS: usize = 30;

fn labels(row: &[Cell]) -> Vec<String> {
    row.iter().map(Cell::text).collect()
}

fn score(known: &mut Known, labels: &[String]) -> usize {
    labels.iter().filter(|l| known.field(l).is_some()).count()
}

/// A two-row header: the upper row's labels are carried across the empty
/// cells of a merged range (住所 over 郵便番号 / 都道府県 / …), and each column
/// is named by its lower label, or the upper one where the lower is empty.
fn combine(known: &mut Known, upper: &[String], lower: &[String]) -> Vec<String> {
    let width = upper.len().max(lower.len());
    let mut carried = String::new();
    (0..width)
        .map(|i| {
            let up = upper.get(i).cloned().unwrap_or_default();
            let low = lower.get(i).cloned().unwrap_or_default();
            if !up.is_empty() {
                carried = up.clone();
            }
            match (low.is_empty(), carried.is_empty()) {
                (false, true) => low,
                (false, false) if known.field(&low).is_some() => low,
                (false, false) => format!("{carried}/{low}"),
                (true, _) => {
                    if up.is_empty() {
                        String::new()
                    } else {
                        up
                    }
                }
            }
        })
        .collect()
}

/// Columns with a label a header row may have. Excel allows 16,384; no
/// roster has a thousand named columns, and weighing every label of such a
/// row against every synonym is what made a 16,384-column file take a minute.
pub const MAX_HEADER_COLUMNS: usize = 1_000;

/// The most labelled cells of a row where the header may be, when that is
/// more than `MAX_HEADER_COLUMNS`.
pub fn too_wide(sheet: &Sheet) -> Option<usize> {
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS + 1)
        .map(|r| r.iter().filter(|c| !c.is_empty()).count())
        .max()
        .filter(|widest| *widest > MAX_HEADER_COLUMNS)
}

/// Skips titles, notes and blank rows above the header: the header is the
/// row (or pair of rows) among the first thirty whose cells most look like
/// column names, with at least two recognised.
pub fn find_layout(sheet: &Sheet) -> Option<Layout> {
    let rows: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS + 1)
        .map(|r| labels(r))
        .collect();
    let known = &mut Known::default();
    let scores: Vec<usize> = rows.iter().map(|row| score(known, row)).collect();
    let mut best: Option<(usize, Layout)> = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let mut candidates = vec![(scores[i], Layout::single(i, row.clone()))];
        if let Some(next) = rows.get(i + 1) {
            if stacked_columns(known, row, next) >= 2 {
                candidates.push((scores[i] + scores[i + 1], two_line(i + 1, row, next)));
            } else {
                // A title above the header (顧客一覧（全件）) joins nothing: the
                // pair must name more columns than its lower row alone.
                let joined = combine(known, row, next);
                let joined_score = score(known, &joined);
                if joined_score > scores[i + 1] {
                    candidates.push((joined_score, Layout::single(i + 1, joined)));
                }
            }
        }
        for (s, layout) in candidates {
            if s >= 2 && best.as_ref().is_none_or(|(b, _)| s > *b) {
                best = Some((s, layout));
            }
        }
    }
    best.map(|(_, layout)| layout)
}

fn looks_like_postal(v: &str) -> bool {
    let digits: String = daicho_text::fold_width(v)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    daicho_text::normalize_postal(v).is_some() && digits.len() >= 6
}

/// What a column's values look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Phone,
    Date,
    Postal,
}

impl ValueKind {
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Phone => "電話番号",
            ValueKind::Date => "日付",
            ValueKind::Postal => "郵便番号",
        }
    }

    /// Whether a column of this kind may be read as `field`.
    pub fn fits(self, field: Field) -> bool {
        let kept_as_written = matches!(field, Field::Ignore | Field::Notes);
        kept_as_written
            || match self {
                ValueKind::Phone => matches!(field, Field::Phone | Field::Mobile | Field::Fax),
                ValueKind::Date => matches!(field, Field::Birthday | Field::Handover),
                ValueKind::Postal => field == Field::Postal,
            }
    }
}

/// The kind most values (80%) of a column have, if any.
pub fn looks_like(values: &[String]) -> Option<ValueKind> {
    let share = |test: &dyn Fn(&str) -> bool| {
        values.len() >= 3 && values.iter().filter(|v| test(v)).count() * 10 >= values.len() * 8
    };
    if share(&looks_like_postal) {
        Some(ValueKind::Postal)
    } else if share(&|v| !daicho_text::split_phones(v).is_empty()) {
        Some(ValueKind::Phone)
    } else if share(&|v| daicho_text::parse_date(v).is_some()) {
        Some(ValueKind::Date)
    } else {
        None
    }
}

/// Suggests a field for each column: by header, then by values for columns
/// whose header is unknown (seven-digit numbers are postal codes, phone-shaped
/// numbers are phones).
pub fn suggest(layout: &Layout, data: &[Vec<Cell>]) -> Vec<Option<Field>> {
    let mut fields: Vec<Option<Field>> =
        layout.headers.iter().map(|h| field_for_header(h)).collect();
    for (col, field) in fields.iter_mut().enumerate() {
        if field.is_some() {
            continue;
        }
        let values: Vec<String> = data
            .iter()
            .take(50)
            .filter_map(|r| r.get(col))
            .map(Cell::text)
            .filter(|v| !v.is_empty())
            .collect();
        *field = match looks_like(&values) {
            Some(ValueKind::Postal) => Some(Field::Postal),
            Some(ValueKind::Phone) => Some(Field::Phone),
            // A date without a header is as likely a visit as a birthday.
            Some(ValueKind::Date) | None => None,
        };
    }
    // The same field twice: the first column wins, later ones become notes
    // so that nothing is lost. Some fields take several columns in order
    // (自宅住所1–3, 連名1–3, メモ1–2).
    let mut seen = HashSet::new();
    for field in fields.iter_mut().flatten() {
        if !seen.insert(*field) && !field.takes_several_columns() {
            *field = Field::Notes;
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "s".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn header_synonyms() {
        for (text, field) in [
            ("お名前", Field::Name),
            ("顧客名（カナ）", Field::Kana),
            ("ふりがな", Field::Kana),
            ("〒", Field::Postal),
            ("住所１", Field::Address),
            ("ＴＥＬ", Field::Phone),
            ("Ｅメール", Field::Email),
            ("DM可否", Field::Dm),
            ("住所２（建物）", Field::Building),
            ("生年月日\n（和暦可）", Field::Birthday),
            ("電話番号\n（自宅・携帯）", Field::Phone),
            ("自宅住所2", Field::Address),
            ("自宅〒", Field::Postal),
            ("連名2", Field::JointName),
            ("連名3ふりがな", Field::JointKana),
            ("メモ1", Field::Notes),
            ("自宅FAX", Field::Fax),
            ("世帯主氏名", Field::Name),
            ("引渡日", Field::Handover),
            ("グループ", Field::Status),
            ("住所2", Field::Building),
        ] {
            assert_eq!(field_for_header(text), Some(field), "{text}");
        }
    }

    #[test]
    fn titles_and_notes_above_the_header_are_skipped() {
        let s = sheet(&[
            &["顧客名簿（平成28年〜）"],
            &[],
            &["※DM欄が「不要」の方には送らないこと"],
            &["お名前", "ふりがな", "〒", "住所１", "TEL"],
            &[
                "山田 太郎",
                "やまだ たろう",
                "1540015",
                "東京都世田谷区",
                "0312345678",
            ],
        ]);
        let layout = find_layout(&s).unwrap();
        assert_eq!(layout.header_row, 3);
    }

    #[test]
    fn two_row_headers_with_a_merged_parent() {
        let s = sheet(&[
            &["氏名", "住所", "", "", "連絡先"],
            &["", "郵便番号", "都道府県", "市区町村", "電話"],
            &[
                "山田 太郎",
                "154-0015",
                "東京都",
                "世田谷区桜新町1-2-3",
                "03-1234-5678",
            ],
        ]);
        let layout = find_layout(&s).unwrap();
        assert_eq!(layout.header_row, 1);
        let fields = suggest(&layout, &s.rows[2..]);
        assert_eq!(
            fields,
            vec![
                Some(Field::Name),
                Some(Field::Postal),
                Some(Field::Prefecture),
                Some(Field::City),
                Some(Field::Phone)
            ]
        );
    }

    #[test]
    fn unknown_headers_are_guessed_from_values() {
        let s = sheet(&[
            &["氏名", "番号", "その他"],
            &["a", "1540015", "x"],
            &["b", "600001", "y"],
            &["c", "〒154-0015", "z"],
            &["d", "1000001", "w"],
        ]);
        let layout = find_layout(&s);
        assert!(layout.is_none(), "one known header is not a table");
        let layout = Layout::single(0, vec!["氏名".into(), "番号".into(), "その他".into()]);
        assert_eq!(
            suggest(&layout, &s.rows[1..]),
            vec![Some(Field::Name), Some(Field::Postal), None]
        );
    }
}
