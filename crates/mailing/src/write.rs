//! Writing a DM list: .xlsx for printers, CSV in CP932 for label software,
//! CSV in UTF-8 with a BOM. Every cell is text (postal codes keep their
//! zeros, nothing becomes a formula), and the file is written to a temporary
//! name and renamed into place, so a failure never leaves half a file.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format as CellFormat, Workbook};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::checks::{fits_cp932, replacement};
use crate::list::{Column, DmRow};
use crate::MailingError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Xlsx,
    #[serde(rename = "csv_cp932")]
    CsvCp932,
    #[serde(rename = "csv_utf8")]
    CsvUtf8,
}

impl FileFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "xlsx" => Some(Self::Xlsx),
            "csv-cp932" | "csv-sjis" => Some(Self::CsvCp932),
            "csv-utf8" => Some(Self::CsvUtf8),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::CsvCp932 => "csv-cp932",
            Self::CsvUtf8 => "csv-utf8",
        }
    }
}

/// Text that a spreadsheet would read as a formula gets a leading
/// apostrophe, which Excel and label software show as plain text.
pub fn defuse(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

fn table(rows: &[DmRow], columns: &[Column]) -> Vec<Vec<String>> {
    let mut out = vec![columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>()];
    out.extend(
        rows.iter()
            .map(|r| columns.iter().map(|c| defuse(&r.value(c.field))).collect()),
    );
    out
}

fn csv_bytes(table: &[Vec<String>]) -> String {
    let quote = |v: &String| {
        if v.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.clone()
        }
    };
    table
        .iter()
        .map(|row| row.iter().map(quote).collect::<Vec<_>>().join(",") + "\r\n")
        .collect()
}

fn xlsx_bytes(table: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("DM")?;
    let bold = CellFormat::new().set_bold();
    for (r, row) in table.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if r == 0 {
                sheet.write_string_with_format(0, c as u16, value, &bold)?;
            } else {
                // write_string: always a text cell, never a number or formula.
                sheet.write_string(r as u32, c as u16, value)?;
            }
        }
    }
    for c in 0..table[0].len() {
        let widest = table
            .iter()
            .map(|row| {
                row[c]
                    .chars()
                    .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
                    .sum::<f64>()
            })
            .fold(8.0, f64::max);
        sheet.set_column_width(c as u16, widest.min(60.0) + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, (table.len() - 1) as u32, (table[0].len() - 1) as u16)?;
    book.save_to_buffer()
}

/// The bytes of the file in the chosen format. CP932 replaces the characters
/// it cannot hold as `checks::replacement` states (the caller has shown
/// them and the user accepted).
pub fn render(
    rows: &[DmRow],
    columns: &[Column],
    format: FileFormat,
) -> Result<Vec<u8>, MailingError> {
    let table = table(rows, columns);
    Ok(match format {
        FileFormat::Xlsx => xlsx_bytes(&table).map_err(|e| MailingError::Write {
            file: String::new(),
            detail: e.to_string(),
        })?,
        FileFormat::CsvUtf8 => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(csv_bytes(&table).into_bytes());
            bytes
        }
        FileFormat::CsvCp932 => {
            let text: String = csv_bytes(&table)
                .chars()
                .map(|c| {
                    if fits_cp932(c) {
                        c.to_string()
                    } else {
                        replacement(c)
                    }
                })
                .collect();
            encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
        }
    })
}

/// Writes `bytes` to `dest` through a temporary file in the same folder.
/// An existing file is replaced only when `replace` is set. Returns the
/// SHA-256 of what was written.
pub fn write_file(dest: &Path, bytes: &[u8], replace: bool) -> Result<String, MailingError> {
    let file = dest.display().to_string();
    if dest.exists() && !replace {
        return Err(MailingError::Exists { file });
    }
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(MailingError::Write {
            file,
            detail: "保存先のフォルダがありません".into(),
        });
    }
    let tmp = dir.join(format!(
        ".{}.partial",
        dest.file_name().and_then(|n| n.to_str()).unwrap_or("dm")
    ));
    let result = (|| -> std::io::Result<()> {
        let mut out = std::fs::File::create(&tmp)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        std::fs::rename(&tmp, dest)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(MailingError::Write {
            file,
            detail: e.to_string(),
        });
    }
    Ok(format!("{:x}", Sha256::digest(bytes)))
}
