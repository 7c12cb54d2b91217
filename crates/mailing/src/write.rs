//! Writing a DM list: .xlsx for printers, CSV in CP932 for label software,
//! CSV in UTF-8 with a BOM. Every cell is text (postal codes keep their
//! zeros, nothing becomes a formula), and the file is written to a temporary
//! name and renamed into place only when the export's record is committed,
//! so a failure never leaves half a file or a file the ledger does not know.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format as CellFormat, Workbook};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use daicho_text::defuse;

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

fn table(rows: &[DmRow], columns: &[Column]) -> Vec<Vec<String>> {
    let mut out = vec![columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>()];
    out.extend(
        rows.iter()
            .map(|r| columns.iter().map(|c| defuse(&r.value(c.field))).collect()),
    );
    out
}

fn csv_text(table: &[Vec<String>]) -> String {
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

/// Display width of a cell: full-width characters take two columns.
fn width(value: &str) -> f64 {
    value
        .chars()
        .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// Streams the list into an .xlsx at `path` in rust_xlsxwriter's
/// constant-memory mode: rows go to disk as they are written.
fn write_xlsx(
    path: &Path,
    rows: &[DmRow],
    columns: &[Column],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("DM")?;
    // Widths from the header and the first thousand rows: enough to read.
    for (c, column) in columns.iter().enumerate() {
        let widest = rows
            .iter()
            .take(1000)
            .map(|r| width(&r.value(column.field)))
            .fold(width(&column.header).max(8.0), f64::max);
        sheet.set_column_width(c as u16, widest.min(60.0) + 2.0)?;
    }
    let bold = CellFormat::new().set_bold();
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, &column.header, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, column) in columns.iter().enumerate() {
            // write_string: always a text cell, never a number or formula.
            sheet.write_string(r as u32 + 1, c as u16, defuse(&row.value(column.field)))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, (columns.len() - 1) as u16)?;
    book.save(path)
}

/// Writes the list in `format` under a temporary name beside `dest` and
/// returns it staged with its SHA-256; the caller puts it in place (see
/// [`Staged`]). An existing file is replaced only when `replace` is set.
/// CP932 replaces the characters it cannot hold as `checks::replacement`
/// states (the caller has shown them and the user accepted).
pub fn write_list(
    dest: &Path,
    rows: &[DmRow],
    columns: &[Column],
    format: FileFormat,
    replace: bool,
) -> Result<(Staged, String), MailingError> {
    let mut digest = String::new();
    let staged = stage(dest, replace, |tmp| {
        match format {
            FileFormat::Xlsx => write_xlsx(tmp, rows, columns).map_err(|e| e.to_string())?,
            FileFormat::CsvUtf8 => {
                let mut bytes = vec![0xEF, 0xBB, 0xBF];
                bytes.extend(csv_text(&table(rows, columns)).into_bytes());
                std::fs::write(tmp, bytes).map_err(|e| e.to_string())?;
            }
            FileFormat::CsvCp932 => {
                let text: String = csv_text(&table(rows, columns))
                    .chars()
                    .map(|c| {
                        if fits_cp932(c) {
                            c.to_string()
                        } else {
                            replacement(c)
                        }
                    })
                    .collect();
                std::fs::write(tmp, encoding_rs::SHIFT_JIS.encode(&text).0)
                    .map_err(|e| e.to_string())?;
            }
        }
        let bytes = std::fs::read(tmp).map_err(|e| e.to_string())?;
        digest = format!("{:x}", Sha256::digest(&bytes));
        Ok(())
    })?;
    Ok((staged, digest))
}

/// A file written in full under a temporary name in its destination's
/// folder and flushed to disk, not yet in place. `put_in_place` renames it
/// over the destination and keeps the old file aside; `keep` lets the old
/// file go. Dropped before `keep`, it undoes what it did: the temporary file
/// is removed and an old file put back, so a failure after writing (the
/// ledger refusing the export's record, say) leaves the folder as it was.
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    previous: Option<PathBuf>,
    placed: bool,
    kept: bool,
}

impl Staged {
    pub fn put_in_place(&mut self) -> std::io::Result<()> {
        if self.dest.exists() {
            let previous = sibling(&self.dest, "previous");
            let _ = std::fs::remove_file(&previous);
            // A hard link costs nothing; file systems without links get a copy.
            std::fs::hard_link(&self.dest, &previous)
                .or_else(|_| std::fs::copy(&self.dest, &previous).map(drop))?;
            self.previous = Some(previous);
        }
        std::fs::rename(&self.tmp, &self.dest)?;
        self.placed = true;
        // The rename itself reaches the disk only with its folder.
        if let Some(dir) = self.dest.parent() {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    pub fn keep(mut self) {
        self.kept = true;
        if let Some(previous) = &self.previous {
            let _ = std::fs::remove_file(previous);
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        if !self.placed {
            let _ = std::fs::remove_file(&self.tmp);
            return;
        }
        match &self.previous {
            Some(previous) => {
                let _ = std::fs::rename(previous, &self.dest);
            }
            None => {
                let _ = std::fs::remove_file(&self.dest);
            }
        }
    }
}

fn sibling(dest: &Path, suffix: &str) -> PathBuf {
    let name = dest
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("daicho");
    dest.with_file_name(format!(".{name}.{suffix}"))
}

/// Runs `write` on a temporary file in `dest`'s folder and flushes it to
/// disk: a failure never leaves half a file, and an existing file is
/// replaced only when `replace` is set.
pub(crate) fn stage(
    dest: &Path,
    replace: bool,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<Staged, MailingError> {
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
    let staged = Staged {
        tmp: sibling(dest, "partial"),
        dest: dest.to_path_buf(),
        previous: None,
        placed: false,
        kept: false,
    };
    write(&staged.tmp)
        .and_then(|()| {
            std::fs::File::open(&staged.tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| e.to_string())
        })
        .map_err(|detail| MailingError::Write { file, detail })?;
    Ok(staged)
}

/// Writes a file that no ledger record goes with: staged, then put in place.
pub(crate) fn replace_into(
    dest: &Path,
    replace: bool,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), MailingError> {
    let mut staged = stage(dest, replace, write)?;
    staged.put_in_place().map_err(|e| MailingError::Write {
        file: dest.display().to_string(),
        detail: e.to_string(),
    })?;
    staged.keep();
    Ok(())
}
