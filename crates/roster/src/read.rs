//! Reading every sheet of a workbook, or a delimited text file in whatever
//! encoding label software wrote it, into one shape: sheets of cell rows.

use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, DataRef, Reader, Sheets};
use chrono::NaiveDate;

use crate::bounds::{self, SHEET_CELLS, XLSX_COLUMNS, XLSX_ROWS};
use crate::error::RosterError;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text: numbers without a trailing ".0" (so 320997843 stays
    /// a phone number), dates as YYYY-MM-DD.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            // ="0466-12-3456" and '0466-12-3456 are how a user kept a
            // spreadsheet from reading the text as a number.
            Cell::Text(s) => daicho_text::unwrap(s.trim()).trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub file_name: String,
    /// The encoding a text file was read in; `None` for spreadsheets.
    pub encoding: Option<&'static str>,
    pub sheets: Vec<Sheet>,
}

/// Text encodings the reader accepts by name (for `--encoding`).
pub fn encoding_by_name(name: &str) -> Option<&'static encoding_rs::Encoding> {
    match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "utf8" => Some(encoding_rs::UTF_8),
        "sjis" | "shiftjis" | "cp932" | "windows31j" | "ms932" => Some(encoding_rs::SHIFT_JIS),
        "utf16" | "utf16le" => Some(encoding_rs::UTF_16LE),
        "utf16be" => Some(encoding_rs::UTF_16BE),
        "eucjp" => Some(encoding_rs::EUC_JP),
        _ => None,
    }
}

pub fn read(path: &Path, encoding: Option<&str>) -> Result<Workbook, RosterError> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = std::fs::read(path).map_err(|source| RosterError::Io {
        file: file.clone(),
        source,
    })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(RosterError::Empty { file });
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_workbook(file, bytes),
        "csv" | "tsv" | "txt" => {
            let forced =
                match encoding {
                    Some(name) => Some(encoding_by_name(name).ok_or_else(|| {
                        RosterError::UnknownEncoding {
                            file: file.clone(),
                            encoding: name.to_string(),
                        }
                    })?),
                    None => None,
                };
            read_text(
                file,
                &bytes,
                forced,
                if extension == "tsv" { b'\t' } else { b',' },
            )
        }
        _ => Err(RosterError::Unsupported { file, extension }),
    }
}

/// The signature of an OLE container: .xls files, and encrypted .xlsx.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Encrypted Office files are OLE containers holding an "EncryptedPackage" stream.
fn is_encrypted_office(bytes: &[u8]) -> bool {
    let marker: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.starts_with(&OLE) && bytes.windows(marker.len()).any(|w| w == marker.as_slice())
}

fn read_workbook(file: String, bytes: Vec<u8>) -> Result<Workbook, RosterError> {
    if is_encrypted_office(&bytes) {
        return Err(RosterError::Encrypted { file });
    }
    let checked = if bytes.starts_with(&OLE) {
        bounds::check_xls(&bytes)
    } else {
        bounds::check_xlsx(&bytes)
    };
    checked.map_err(|detail| RosterError::Corrupt {
        file: file.clone(),
        detail,
    })?;
    // calamine asserts on some malformed files instead of returning an error
    // (found by fuzzing: a broken .xls directory); such a file is a broken
    // file to the office, not a reason for the app to stop.
    let name = file.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_workbook(file, bytes)))
        .unwrap_or_else(|_| {
            Err(RosterError::Corrupt {
                file: name,
                detail: "ファイルの内部構造が壊れています".into(),
            })
        })
}

fn parse_workbook(file: String, bytes: Vec<u8>) -> Result<Workbook, RosterError> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| workbook_error(&file, e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let rows = match &mut book {
            Sheets::Xlsx(xlsx) => xlsx_rows(&file, xlsx, &name)?,
            _ => range_rows(
                book.worksheet_range(&name)
                    .map_err(|e| workbook_error(&file, e))?,
            ),
        };
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook {
        file_name: file,
        encoding: None,
        sheets,
    })
}

/// A sheet's rows at their absolute positions, so that reported rows match
/// what Excel shows.
fn range_rows(range: calamine::Range<Data>) -> Vec<Vec<Cell>> {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; first_col as usize];
        cells.extend(row.iter().map(cell_of));
        rows.push(cells);
    }
    rows
}

/// An .xlsx sheet streamed cell by cell into rows at absolute positions.
/// calamine's `worksheet_range` first allocates the whole rectangle the
/// cells span, which one stray cell in a damaged file makes billions of cells
/// large; here rows grow only as far as their own cells reach, within a bound.
fn xlsx_rows<RS: std::io::Read + std::io::Seek>(
    file: &str,
    book: &mut calamine::Xlsx<RS>,
    sheet: &str,
) -> Result<Vec<Vec<Cell>>, RosterError> {
    let failed = |e: calamine::XlsxError| workbook_error(file, e.into());
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet: no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(failed(e)),
    };
    let too_large = || RosterError::Corrupt {
        file: file.to_string(),
        detail: format!("シート「{sheet}」が読み込める大きさを超えています"),
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cells = 0usize;
    while let Some(cell) = reader.next_cell().map_err(failed)? {
        let ((row, column), value) = (cell.get_position(), cell.get_value());
        if matches!(value, DataRef::Empty) {
            continue;
        }
        if row >= XLSX_ROWS || column >= XLSX_COLUMNS {
            return Err(too_large());
        }
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells += column + 1 - cells_of_row.len();
            if cells > SHEET_CELLS {
                return Err(too_large());
            }
            cells_of_row.resize(column + 1, Cell::Empty);
        }
        cells_of_row[column] = cell_of(&Data::from(value.clone()));
    }
    Ok(rows)
}

/// calamine's error told in the office's words: which kind of file it could
/// not read (its own text is English and about the file's insides).
fn workbook_error(file: &str, error: calamine::Error) -> RosterError {
    use calamine::{Error as E, OdsError, XlsError, XlsbError, XlsxError};
    let file = file.to_string();
    let detail = match &error {
        E::Xls(XlsError::Password)
        | E::Xlsx(XlsxError::Password)
        | E::Xlsb(XlsbError::Password)
        | E::Ods(OdsError::Password) => return RosterError::Encrypted { file },
        E::Msg(_) => "Excel や OpenDocument のファイルではありません",
        E::Xlsx(_) => "Excel（2007 以降）の形式として中身を読み取れません",
        E::Xls(_) => "Excel 97-2003 の形式として中身を読み取れません",
        E::Xlsb(_) => "Excel バイナリ形式として中身を読み取れません",
        E::Ods(_) => "OpenDocument の形式として中身を読み取れません",
        E::Io(_) | E::Vba(_) | E::De(_) => "ファイルの中身を読み取れません",
    };
    RosterError::Corrupt {
        file,
        detail: detail.into(),
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(dt) => daicho_text::from_excel_serial(dt.as_f64())
            .map_or(Cell::Number(dt.as_f64()), Cell::Date),
    }
}

/// UTF-8 (with or without BOM) and UTF-16 (BOM) are recognised; anything
/// else that is not valid UTF-8 is read as CP932, what Japanese Windows and
/// label software write.
fn detect(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding;
    }
    if std::str::from_utf8(bytes).is_ok() {
        encoding_rs::UTF_8
    } else {
        encoding_rs::SHIFT_JIS
    }
}

fn read_text(
    file: String,
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
) -> Result<Workbook, RosterError> {
    let encoding = forced.unwrap_or_else(|| detect(bytes));
    let (text, used, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(RosterError::Corrupt {
            file,
            detail: format!(
                "{} として読めない文字があります。文字コードを指定し直してください",
                used.name()
            ),
        });
    }
    // A .txt may be tab-separated; the first line tells.
    let delimiter = if delimiter == b','
        && text
            .lines()
            .next()
            .is_some_and(|l| l.matches('\t').count() > l.matches(',').count())
    {
        b'\t'
    } else {
        delimiter
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RosterError::Corrupt {
            file: file.clone(),
            detail: match e.position() {
                Some(at) => format!("{}行目を CSV として読み取れません", at.line()),
                None => "CSV として読み取れません".into(),
            },
        })?;
        rows.push(
            record
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    let name = file
        .rsplit_once('.')
        .map_or(file.as_str(), |(stem, _)| stem)
        .to_string();
    Ok(Workbook {
        file_name: file,
        encoding: Some(used.name()),
        sheets: vec![Sheet { name, rows }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn xlsx(dir: &Path, name: &str, cells: &[(u32, u16, &str)]) -> std::path::PathBuf {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (row, column, text) in cells {
            sheet.write_string(*row, *column, *text).unwrap();
        }
        let path = dir.join(name);
        book.save(&path).unwrap();
        path
    }

    #[test]
    fn a_value_in_the_last_cell_of_an_xlsx_is_read_in_place() {
        // calamine's worksheet_range would allocate the 17-billion-cell
        // rectangle between A1 and XFD1048576 and abort.
        let dir = tempfile::tempdir().unwrap();
        let path = xlsx(
            dir.path(),
            "far.xlsx",
            &[(0, 0, "氏名"), (1_048_575, 16_383, "メモ")],
        );
        let rows = &read(&path, None).unwrap().sheets[0].rows;
        assert_eq!(rows.len(), 1_048_576);
        assert_eq!(rows[0], vec![Cell::Text("氏名".into())]);
        assert_eq!(rows[1_048_575][16_383].text(), "メモ");
    }

    #[test]
    fn an_xlsx_sheet_beyond_the_cell_bound_is_refused_as_broken() {
        let dir = tempfile::tempdir().unwrap();
        let far: Vec<_> = (0..1100).map(|row| (row, 16_383, "x")).collect();
        let err = read(&xlsx(dir.path(), "wide.xlsx", &far), None).unwrap_err();
        assert_eq!(err.code(), "roster_corrupt");
        assert!(
            err.to_string().contains("wide.xlsx") && err.to_string().contains("Sheet1"),
            "{err}"
        );
    }

    #[test]
    fn csv_in_every_encoding_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let text = "氏名,住所\n\"山田, 太郎\",\"東京都\n世田谷区\"\n\"\"\"髙\"\"橋\",x\n";
        let plain = text.replace('髙', "高");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&plain);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        for (name, bytes, expected) in [
            ("a.csv", text.as_bytes().to_vec(), "UTF-8"),
            ("b.csv", bom, "UTF-8"),
            ("c.csv", sjis.to_vec(), "Shift_JIS"),
            ("d.csv", utf16, "UTF-16LE"),
        ] {
            let book = read(&write(dir.path(), name, &bytes), None).unwrap();
            assert_eq!(book.encoding, Some(expected), "{name}");
            let rows = &book.sheets[0].rows;
            assert_eq!(rows[1][0].text(), "山田, 太郎", "{name}");
            assert_eq!(rows[1][1].text(), "東京都\n世田谷区", "{name}");
            assert!(rows[2][0].text().ends_with("\"橋"), "{name}");
        }
    }

    #[test]
    fn refusals_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let empty = read(&write(dir.path(), "empty.csv", b""), None).unwrap_err();
        assert_eq!(empty.code(), "roster_empty");
        assert!(empty.to_string().contains("empty.csv"));
        let image = read(
            &write(dir.path(), "photo.xlsx", b"\x89PNG\r\n\x1a\nnot a workbook"),
            None,
        )
        .unwrap_err();
        assert_eq!(image.code(), "roster_corrupt");
        assert!(image.to_string().contains("photo.xlsx"));
        let pdf = read(&write(dir.path(), "list.pdf", b"%PDF-1.4"), None).unwrap_err();
        assert_eq!(pdf.code(), "roster_unsupported");
        let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        encrypted.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(
            read(&write(dir.path(), "secret.xlsx", &encrypted), None)
                .unwrap_err()
                .code(),
            "roster_encrypted"
        );
        let bad_sjis = read(
            &write(dir.path(), "x.csv", b"\x82\x20abc"),
            Some("shift_jis"),
        )
        .unwrap_err();
        assert_eq!(bad_sjis.code(), "roster_corrupt");
    }

    #[test]
    fn numbers_read_as_people_wrote_them() {
        assert_eq!(Cell::Number(320997843.0).text(), "320997843");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }
}
