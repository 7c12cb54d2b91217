//! The import report as an .xlsx file: the summary, every skipped row, every
//! warning and every difference from the ledger, each with sheet, row and
//! column, so that the office can work through them in Excel.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::RosterError;
use crate::session::ImportPreview;

fn table(
    sheet: &mut Worksheet,
    headers: &[&str],
    rows: &[Vec<String>],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, widths.get(col).copied().unwrap_or(14.0))?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            // A text cell: nothing in a report becomes a formula or a
            // number, and an .xlsx text cell is never evaluated, so the
            // value goes in as it is (no apostrophe before -田中).
            sheet.write_string(i as u32 + 1, col as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    }
    Ok(())
}

fn build(preview: &ImportPreview) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let summary = book.add_worksheet().set_name("概要")?;
    let lines = [
        ("ファイル", preview.file.clone()),
        ("読んだ行", preview.rows.to_string()),
        ("人数", preview.records.to_string()),
        ("新規", preview.new_customers.to_string()),
        ("既存の顧客と統合", preview.merged_with_ledger.to_string()),
        ("ファイル内の重複", preview.merged_in_file.to_string()),
        ("スキップ", preview.skipped.len().to_string()),
        ("注意", preview.warnings.len().to_string()),
        ("既存と異なる値", preview.conflicts.len().to_string()),
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.clone()])
        .collect();
    table(summary, &["項目", "値"], &rows, &[18.0, 40.0])?;

    let skipped: Vec<Vec<String>> = preview
        .skipped
        .iter()
        .map(|s| vec![s.sheet.clone(), s.row.to_string(), s.reason.clone()])
        .collect();
    table(
        book.add_worksheet().set_name("スキップ")?,
        &["シート", "行", "理由"],
        &skipped,
        &[16.0, 8.0, 60.0],
    )?;

    let warnings: Vec<Vec<String>> = preview
        .warnings
        .iter()
        .map(|w| {
            vec![
                w.sheet.clone(),
                w.row.to_string(),
                w.column.clone(),
                w.message.clone(),
            ]
        })
        .collect();
    table(
        book.add_worksheet().set_name("注意")?,
        &["シート", "行", "列", "内容"],
        &warnings,
        &[16.0, 8.0, 22.0, 70.0],
    )?;

    let conflicts: Vec<Vec<String>> = preview
        .conflicts
        .iter()
        .map(|c| {
            let choice = if c.conflict.use_incoming {
                "ファイルの値"
            } else {
                "既存の値"
            };
            vec![
                c.row.sheet.clone(),
                c.row.row.to_string(),
                c.conflict.field.clone(),
                c.conflict.existing.clone(),
                c.conflict.incoming.clone(),
                choice.into(),
            ]
        })
        .collect();
    table(
        book.add_worksheet().set_name("既存と異なる値")?,
        &["シート", "行", "項目", "既存の値", "ファイルの値", "採用"],
        &conflicts,
        &[16.0, 8.0, 16.0, 30.0, 30.0, 12.0],
    )?;
    Ok(book)
}

/// Writes the report to `dest` through a temporary file renamed into place:
/// a failure leaves no half-written file, and an existing file is replaced
/// only when `replace` says so (the save dialog has asked).
pub fn write_report(
    preview: &ImportPreview,
    dest: &Path,
    replace: bool,
) -> Result<(), RosterError> {
    let file = dest.display().to_string();
    if dest.exists() && !replace {
        return Err(RosterError::Exists { file });
    }
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.partial",
        dest.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("report.xlsx")
    ));
    let written = build(preview)
        .and_then(|mut book| book.save(&tmp))
        .map_err(|e| RosterError::Io {
            file: file.clone(),
            source: std::io::Error::other(e.to_string()),
        })
        .and_then(|()| {
            std::fs::rename(&tmp, dest).map_err(|source| RosterError::Io {
                file: file.clone(),
                source,
            })
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
