//! Realistic rosters of any size: the names and places of the demo data,
//! written the way old files write them (full-width digits, numbers that lost
//! their leading zero, 和暦 birthdays, free-text statuses). Seeded.

use std::path::Path;

use daicho_ledger::sample::{BUILDINGS, FAMILY, FEMALE, MALE, PLACES};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const STATUSES: &[&str] = &[
    "見学会引合い",
    "ＨＰ問合せ",
    "商談",
    "管理客",
    "契約済",
    "新築ＯＢ",
    "ﾘﾌｫｰﾑOB",
    "対象外",
];
const HEADERS: [&str; 10] = [
    "氏名",
    "フリガナ",
    "郵便番号",
    "住所",
    "建物名",
    "電話番号",
    "生年月日",
    "区分",
    "DM",
    "備考",
];

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() || c == '-' {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

pub fn write_roster(path: &Path, rows: u32, seed: u64) -> Result<(), XlsxError> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy/mm/dd");
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("顧客名簿")?;
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string(0, col as u16, *header)?;
    }
    for row in 1..=rows {
        let (family, family_kana) = FAMILY[rng.usize(..FAMILY.len())];
        let (given, given_kana) = if rng.bool() {
            MALE[rng.usize(..MALE.len())]
        } else {
            FEMALE[rng.usize(..FEMALE.len())]
        };
        let (postal, prefecture, city, town, area) = PLACES[rng.usize(..PLACES.len())];
        let space = if rng.bool() { " " } else { "\u{3000}" };
        sheet.write_string(row, 0, format!("{family}{space}{given}"))?;
        sheet.write_string(row, 1, format!("{family_kana} {given_kana}"))?;
        let digits: String = postal.chars().filter(char::is_ascii_digit).collect();
        match rng.u8(..3) {
            0 => sheet.write_number(row, 2, digits.parse::<f64>().unwrap_or(0.0))?,
            1 => sheet.write_string(row, 2, full_width(postal))?,
            _ => sheet.write_string(row, 2, format!("〒{postal}"))?,
        };
        let street = format!("{}-{}-{}", rng.u32(1..6), rng.u32(1..30), row % 97 + 1);
        sheet.write_string(
            row,
            3,
            format!(
                "{prefecture}{city}{town}{}",
                if rng.bool() {
                    full_width(&street)
                } else {
                    street
                }
            ),
        )?;
        if rng.u8(..4) == 0 {
            sheet.write_string(
                row,
                4,
                format!(
                    "{}{}",
                    BUILDINGS[rng.usize(..BUILDINGS.len())],
                    rng.u32(101..999)
                ),
            )?;
        }
        // Unique phones: the row number is in them, so nobody is merged by accident.
        let local = 10 - area.len();
        let phone = format!(
            "{area}{:0>width$}",
            2 * 10u64.pow(local as u32 - 1) + u64::from(row),
            width = local
        );
        match rng.u8(..3) {
            0 => sheet.write_number(row, 5, phone.parse::<f64>().unwrap_or(0.0))?,
            _ => sheet.write_string(row, 5, phone)?,
        };
        let (y, m, d) = (rng.i32(1950..1998), rng.u32(1..13), rng.u32(1..29));
        match rng.u8(..3) {
            0 => sheet.write_string(row, 6, format!("S{}.{m}.{d}", y.min(1988) - 1925))?,
            1 => sheet.write_string(row, 6, format!("{y}/{m}/{d}"))?,
            _ => sheet.write_number_with_format(row, 6, excel_serial(y, m, d), &date)?,
        };
        sheet.write_string(row, 7, STATUSES[rng.usize(..STATUSES.len())])?;
        if rng.u8(..20) == 0 {
            sheet.write_string(row, 8, "不要")?;
        }
        if rng.u8(..5) == 0 {
            sheet.write_string(row, 9, "点検済")?;
        }
    }
    book.save(path)
}

fn excel_serial(y: i32, m: u32, d: u32) -> f64 {
    // Days from 1899-12-30, the epoch Excel's serials count from.
    let days_from_civil = |y: i32, m: u32, d: u32| {
        let y = if m <= 2 { y - 1 } else { y } as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    };
    (days_from_civil(y, m, d) - days_from_civil(1899, 12, 30)) as f64
}
