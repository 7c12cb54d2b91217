//! Writing a DM list: .xlsx for printers, CSV in CP932 for label software,
//! CSV in UTF-8 with a BOM, or labels and postcards as PDF (`print`). Every cell is text (postal codes keep their
//! zeros, nothing becomes a formula), and the file is written to a temporary
//! name and renamed into place only when the export's record is committed,
//! so a failure never leaves half a file or a file the ledger does not know.
//!
//! The formula guard (`defuse`) is for CSV only: a spreadsheet evaluates a
//! CSV field that starts with = + - @, but never an .xlsx text cell, so an
//! .xlsx cell holds the value as it is (-田中 一郎 stays -田中 一郎 on the
//! printer's sheet). Every .xlsx writer here writes text with `write_string`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rust_xlsxwriter::{Format as CellFormat, Workbook};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use daicho_ledger::{create_private, ExportNote, Ledger, LedgerError};
use daicho_text::defuse;

use crate::checks::{fits_cp932, replacement};
use crate::export::ExportError;
use crate::list::Column;
use crate::print::{self, PrintOptions};
use crate::unfinished::Note;
use crate::MailingError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Xlsx,
    #[serde(rename = "csv_cp932")]
    CsvCp932,
    #[serde(rename = "csv_utf8")]
    CsvUtf8,
    /// Address labels on an A4 sheet, printed in the office.
    PdfLabels,
    /// Postcards, one a page, printed in the office.
    PdfPostcard,
}

impl FileFormat {
    pub const ALL: [Self; 5] = [
        Self::Xlsx,
        Self::CsvCp932,
        Self::CsvUtf8,
        Self::PdfLabels,
        Self::PdfPostcard,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "xlsx" => Some(Self::Xlsx),
            "csv-cp932" | "csv-sjis" => Some(Self::CsvCp932),
            "csv-utf8" => Some(Self::CsvUtf8),
            "pdf-labels" => Some(Self::PdfLabels),
            "pdf-postcard" => Some(Self::PdfPostcard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::CsvCp932 => "csv-cp932",
            Self::CsvUtf8 => "csv-utf8",
            Self::PdfLabels => "pdf-labels",
            Self::PdfPostcard => "pdf-postcard",
        }
    }

    /// The kind of printed piece, for the formats printed in the office.
    pub fn print_kind(self) -> Option<print::Kind> {
        match self {
            Self::PdfLabels => Some(print::Kind::Labels),
            Self::PdfPostcard => Some(print::Kind::Postcard),
            Self::Xlsx | Self::CsvCp932 | Self::CsvUtf8 => None,
        }
    }
}

/// One CSV record: fields quoted where they hold a comma, quote or line break.
fn csv_record(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, value) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let value = defuse(value);
        if value.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&value.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&value);
        }
    }
    line.push_str("\r\n");
    line
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
    columns: &[Column],
    mut rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("DM")?;
    // Widths from the header and the first thousand rows: enough to read.
    let head: Vec<Vec<String>> = rows.by_ref().take(1000).collect();
    for (c, column) in columns.iter().enumerate() {
        let widest = head
            .iter()
            .map(|cells| width(&cells[c]))
            .fold(width(&column.header).max(8.0), f64::max);
        sheet.set_column_width(c as u16, widest.min(60.0) + 2.0)?;
    }
    let bold = CellFormat::new().set_bold();
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, &column.header, &bold)?;
    }
    let mut last = 0;
    for (r, cells) in head.into_iter().chain(rows).enumerate() {
        last = r as u32 + 1;
        for (c, value) in cells.iter().enumerate() {
            // write_string: always a text cell, never a number or formula,
            // so the value goes in as it is (see the module's comment).
            sheet.write_string(last, c as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, (columns.len() - 1) as u16)?;
    book.save(path)
}

/// Streams the list as CSV: UTF-8 with a BOM, or CP932 with the characters
/// it cannot hold replaced as `checks::replacement` states (the caller has
/// shown them and the user accepted).
fn write_csv(
    path: &Path,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<String>>,
    cp932: bool,
) -> std::io::Result<()> {
    let mut file = BufWriter::new(std::fs::File::create(path)?);
    if !cp932 {
        file.write_all(&[0xEF, 0xBB, 0xBF])?;
    }
    let header: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    for cells in std::iter::once(header).chain(rows) {
        let line = csv_record(&cells);
        if cp932 {
            let line: String = line
                .chars()
                .map(|c| {
                    if fits_cp932(c) {
                        c.to_string()
                    } else {
                        replacement(c)
                    }
                })
                .collect();
            file.write_all(&encoding_rs::SHIFT_JIS.encode(&line).0)?;
        } else {
            file.write_all(line.as_bytes())?;
        }
    }
    file.flush()
}

/// Writes the list's rows (each its cells in `columns`' order) in `format`
/// under a temporary name beside `dest` and returns it staged with its
/// SHA-256; the caller puts it in place (see [`Staged`]). An existing file
/// is replaced only when `replace` is set.
pub fn write_list(
    dest: &Path,
    columns: &[Column],
    format: FileFormat,
    print: &PrintOptions,
    replace: bool,
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(Staged, String), MailingError> {
    stage_hashed(dest, replace, |tmp| match format {
        FileFormat::Xlsx => write_xlsx(tmp, columns, rows).map_err(xlsx_detail),
        FileFormat::CsvUtf8 => write_csv(tmp, columns, rows, false).map_err(io_detail),
        FileFormat::CsvCp932 => write_csv(tmp, columns, rows, true).map_err(io_detail),
        FileFormat::PdfLabels => print::write_pdf(tmp, print::Kind::Labels, print, rows),
        FileFormat::PdfPostcard => print::write_pdf(tmp, print::Kind::Postcard, print, rows),
    })
}

/// `stage`, and the staged file's SHA-256 (what the export record keeps).
pub(crate) fn stage_hashed(
    dest: &Path,
    replace: bool,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(Staged, String), MailingError> {
    let mut sha256 = String::new();
    let staged = stage(dest, replace, |tmp| {
        write(tmp)?;
        let bytes = std::fs::read(tmp).map_err(io_detail)?;
        sha256 = format!("{:x}", Sha256::digest(&bytes));
        Ok(())
    })?;
    Ok((staged, sha256))
}

/// The file's own name, as the export record keeps it (never its folder,
/// which may name a person's PC or account).
pub(crate) fn file_name(dest: &Path) -> String {
    dest.file_name().map_or_else(
        || dest.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Writes a file staged and puts it in place inside the write that adds it
/// to the export record, so the file exists exactly when the record says
/// it left. Whether the person acting may make it is asked before anything
/// is written. `note`'s file name and SHA-256 are filled in here.
pub(crate) fn place_recorded(
    ledger: &mut Ledger,
    dest: &Path,
    replace: bool,
    note: ExportNote,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), ExportError> {
    ledger.require(note.kind.need())?;
    let (mut staged, sha256) = stage_hashed(dest, replace, write)?;
    let note = ExportNote {
        file_name: file_name(dest),
        sha256,
        ..note
    };
    ledger.record_export(&note, || staged.place())?;
    staged.keep();
    Ok(())
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
    /// Removed with the staged file, whichever way the export ends.
    _note: Note,
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

    /// `put_in_place` as a ledger write sees it: the step that finishes
    /// the transaction recording the file, its failure rolling that back.
    pub fn place(&mut self) -> Result<(), LedgerError> {
        self.put_in_place().map_err(|source| LedgerError::Io {
            path: self.dest.clone(),
            source,
        })
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

/// The OS's failure in the office's words (`LedgerError::describe_io`).
pub(crate) fn io_detail(error: std::io::Error) -> String {
    LedgerError::describe_io(&error)
}

/// An .xlsx writer's failure: the OS's in the office's words, the rest as
/// the writer says it.
pub(crate) fn xlsx_detail(error: rust_xlsxwriter::XlsxError) -> String {
    match error {
        rust_xlsxwriter::XlsxError::IoError(e) => io_detail(e),
        other => other.to_string(),
    }
}

/// The staged file and the old file kept aside, as `sibling` names them.
const STAGED_SUFFIXES: [&str; 2] = ["partial", "previous"];

/// How long a staged file sits untouched before it counts as left by a
/// killed export: writing touches it all the time, and putting it in place
/// takes one transaction, so ten minutes is far beyond any export at work.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Removes what killed exports left in `dir`: staged files (`.NAME.partial`,
/// names and addresses in the clear) and old files kept aside while a new
/// one went in (`.NAME.previous`). Every export runs it on its folder before
/// it writes; each start runs it on the folders of exports a kill
/// interrupted (`unfinished`).
/// Files touched in the last ten minutes may belong to an export still at
/// work and stay. Best effort: a file that cannot be removed stays.
pub fn sweep_left_behind(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let staged = name.starts_with('.')
            && STAGED_SUFFIXES
                .iter()
                .any(|suffix| name.ends_with(&format!(".{suffix}")));
        let stale = entry
            .metadata()
            .ok()
            .filter(|meta| meta.is_file())
            .and_then(|meta| meta.modified().ok())
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if staged && stale {
            let _ = std::fs::remove_file(entry.path());
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
/// replaced only when `replace` is set. The temporary file is its owner's
/// only (0600) from the first byte, as the ledger is: it holds names and
/// addresses. (On Windows it takes the folder's ACL.) What killed exports
/// left in the folder is removed first (`sweep_left_behind`).
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
    sweep_left_behind(dir);
    let tmp = sibling(dest, "partial");
    let staged = Staged {
        _note: Note::take(&tmp),
        tmp,
        dest: dest.to_path_buf(),
        previous: None,
        placed: false,
        kept: false,
    };
    // A staged file of the same name is this export's own, from a kill.
    let _ = std::fs::remove_file(&staged.tmp);
    // The writers truncate this file rather than make one, keeping its mode.
    create_private(&staged.tmp)
        .map(drop)
        .map_err(io_detail)
        .and_then(|()| write(&staged.tmp))
        .and_then(|()| {
            std::fs::File::open(&staged.tmp)
                .and_then(|f| f.sync_all())
                .map_err(io_detail)
        })
        .map_err(|detail| MailingError::Write { file, detail })?;
    Ok(staged)
}
