//! The work report (日報 / 月報): every contact of a period, and per staff
//! member and month how many contacts of each kind were logged.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use daicho_ledger::contacts::ContactLine;
use daicho_ledger::{ExportKind, ExportNote, Ledger};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::export::ExportError;
use crate::write::{place_recorded, xlsx_detail};

fn header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    titles: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, (title, width)) in titles.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn build(lines: &[ContactLine], kinds: &[String]) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let daily = book.add_worksheet().set_name("日報")?;
    header(
        daily,
        &["日付", "時刻", "担当者", "顧客ID", "お客様", "種類", "内容"],
        &[12.0, 7.0, 14.0, 8.0, 18.0, 10.0, 60.0],
    )?;
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        let (day, time) = line.at.split_once(' ').unwrap_or((&line.at, ""));
        // Text cells throughout: nothing a customer said can become a formula.
        for (col, value) in [day, time, &line.staff_name].into_iter().enumerate() {
            daily.write_string(row, col as u16, value)?;
        }
        // The id as the office reads it: a number for the first PC's
        // customers, `3-17` for a customer another PC added.
        let id = daicho_ledger::ids::display(line.customer_id);
        match id.parse::<f64>() {
            Ok(number) => daily.write_number(row, 3, number)?,
            Err(_) => daily.write_string(row, 3, &id)?,
        };
        for (col, value) in [&line.customer_name, &line.kind, &line.note]
            .into_iter()
            .enumerate()
        {
            daily.write_string(row, col as u16 + 4, value.as_str())?;
        }
    }
    if !lines.is_empty() {
        daily.autofilter(0, 0, lines.len() as u32, 6)?;
    }

    // (month, staff) → kind → count
    let mut counts: BTreeMap<(String, String), BTreeMap<&str, u32>> = BTreeMap::new();
    for line in lines {
        let month = line.at.get(..7).unwrap_or_default().to_string();
        *counts
            .entry((month, line.staff_name.clone()))
            .or_default()
            .entry(line.kind.as_str())
            .or_default() += 1;
    }
    let monthly = book.add_worksheet().set_name("月報")?;
    let mut titles = vec!["月", "担当者"];
    titles.extend(kinds.iter().map(String::as_str));
    titles.push("合計");
    let mut widths = vec![10.0, 14.0];
    widths.extend(std::iter::repeat_n(8.0, kinds.len() + 1));
    header(monthly, &titles, &widths)?;
    for (i, ((month, staff), by_kind)) in counts.iter().enumerate() {
        let row = i as u32 + 1;
        monthly.write_string(row, 0, month)?;
        monthly.write_string(row, 1, staff)?;
        for (k, kind) in kinds.iter().enumerate() {
            monthly.write_number(
                row,
                k as u16 + 2,
                f64::from(by_kind.get(kind.as_str()).copied().unwrap_or(0)),
            )?;
        }
        monthly.write_number(
            row,
            kinds.len() as u16 + 2,
            f64::from(by_kind.values().sum::<u32>()),
        )?;
    }
    Ok(book)
}

/// Writes the work report of the contacts logged between two days
/// (inclusive), with the office's contact kinds as 月報 columns. Returns how
/// many contacts it holds.
pub fn export_work_report(
    ledger: &mut Ledger,
    from: &str,
    to: &str,
    dest: &Path,
    replace: bool,
) -> Result<u32, ExportError> {
    let lines = ledger.contacts_between(from, to)?;
    let kinds: Vec<String> = ledger
        .contact_kinds()?
        .into_iter()
        .map(|k| k.name)
        .collect();
    let people: BTreeSet<i64> = lines.iter().map(|l| l.customer_id).collect();
    let note = ExportNote {
        kind: ExportKind::Report,
        file_name: String::new(),
        people: people.len() as u32,
        segment: format!("対応履歴 {from}〜{to}"),
        sha256: String::new(),
    };
    place_recorded(ledger, dest, replace, note, |tmp| {
        build(&lines, &kinds)
            .and_then(|mut book| book.save(tmp))
            .map_err(xlsx_detail)
    })?;
    Ok(lines.len() as u32)
}
