//! Reading every sheet of a workbook, or a delimited text file in whatever
//! encoding label software wrote it, into one shape: sheets of cell rows.

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, DataRef, Reader, Sheets};
use chrono::NaiveDate;

use crate::bounds::{self, Cells, Refusal, LINE_BYTES, XLSX_COLUMNS, XLSX_ROWS};
use crate::error::RosterError;
use crate::normalize::{column_letter, CellWarning};

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
    /// What reading itself found: a row of a Shift_JIS file written in
    /// UTF-8, a character no encoding could read.
    pub warnings: Vec<CellWarning>,
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

/// What a file's first bytes say it is, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zip,
    Ole,
    Text,
    /// A video, an image, a program: refused before it is read.
    Binary,
}

/// The signature of an OLE container: .xls files, and encrypted .xlsx.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// How much of a file is looked at to tell its kind.
const SNIFF_BYTES: u64 = 4096;

/// Text has no NUL byte, unless it is UTF-16 (which starts with its BOM).
fn sniff(head: &[u8]) -> Kind {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Kind::Zip
    } else if head.starts_with(&OLE) {
        Kind::Ole
    } else if encoding_rs::Encoding::for_bom(head).is_some() || !head.contains(&0) {
        Kind::Text
    } else {
        Kind::Binary
    }
}

pub fn read(path: &Path, encoding: Option<&str>) -> Result<Workbook, RosterError> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let io = |source| RosterError::Io {
        file: file.clone(),
        source,
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let workbook = match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => true,
        "csv" | "tsv" | "txt" => false,
        _ => return Err(RosterError::Unsupported { file, extension }),
    };
    let forced = match encoding {
        Some(name) if !workbook => {
            Some(
                encoding_by_name(name).ok_or_else(|| RosterError::UnknownEncoding {
                    file: file.clone(),
                    encoding: name.to_string(),
                })?,
            )
        }
        _ => None,
    };
    let mut handle = std::fs::File::open(path).map_err(io)?;
    let size = handle.metadata().map_err(io)?.len();
    bounds::check_file_size(size, workbook).map_err(|r| r.of(&file))?;
    let mut head = Vec::new();
    (&mut handle)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.iter().all(u8::is_ascii_whitespace) && size <= SNIFF_BYTES {
        return Err(RosterError::Empty { file });
    }
    let kind = sniff(&head);
    let not_what_it_says = |detail: &str| RosterError::Corrupt {
        file: file.clone(),
        detail: detail.into(),
    };
    match (kind, workbook) {
        (Kind::Binary, _) => {
            return Err(not_what_it_says(
                "中身は表ではなく、動画・画像・プログラムなどのデータです",
            ))
        }
        (Kind::Text, true) => {
            return Err(not_what_it_says(
                "Excel や OpenDocument のファイルではありません",
            ))
        }
        (Kind::Zip | Kind::Ole, false) => {
            return Err(not_what_it_says(
                "中身は Excel などの表計算のファイルです。拡張子を .xlsx などに直してください",
            ))
        }
        _ => (),
    }
    let mut bytes = head;
    handle.read_to_end(&mut bytes).map_err(io)?;
    if workbook {
        read_workbook(file, bytes)
    } else {
        let delimiter = if extension == "tsv" { b'\t' } else { b',' };
        read_text(file, &bytes, forced, delimiter)
    }
}

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
        bounds::check_zip(&bytes)
    };
    checked.map_err(|r| r.of(&file))?;
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
    let mut cells = Cells::default();
    for name in book.sheet_names() {
        cells.next_sheet();
        let rows = match &mut book {
            Sheets::Xlsx(xlsx) => xlsx_rows(&file, xlsx, &name, &mut cells)?,
            _ => {
                let range = book
                    .worksheet_range(&name)
                    .map_err(|e| workbook_error(&file, e))?;
                range_rows(range, &name, &mut cells).map_err(|r| r.of(&file))?
            }
        };
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook {
        file_name: file,
        encoding: None,
        sheets,
        warnings: Vec::new(),
    })
}

/// Where a cell is, as Excel shows it (シート「名簿」のB2セル).
fn place(sheet: &str, row: usize, column: usize) -> String {
    format!(
        "シート「{sheet}」の{}{}セル",
        column_letter(column),
        row + 1
    )
}

/// A sheet's rows at their absolute positions, so that reported rows match
/// what Excel shows.
fn range_rows(
    range: calamine::Range<Data>,
    sheet: &str,
    cells: &mut Cells,
) -> Result<Vec<Vec<Cell>>, Refusal> {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let (height, width) = range.get_size();
    cells.add(height * (width + first_col as usize), sheet)?;
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut out = vec![Cell::Empty; first_col as usize];
        for data in row {
            let cell = cell_of(data);
            checked(&cell, || place(sheet, rows.len(), out.len()))?;
            out.push(cell);
        }
        rows.push(out);
    }
    Ok(rows)
}

fn checked(cell: &Cell, place: impl FnOnce() -> String) -> Result<(), Refusal> {
    match cell {
        Cell::Text(text) => bounds::check_cell_text(text, place),
        _ => Ok(()),
    }
}

/// An .xlsx sheet streamed cell by cell into rows at absolute positions.
/// calamine's `worksheet_range` first allocates the whole rectangle the
/// cells span, which one stray cell in a damaged file makes billions of cells
/// large; here rows grow only as far as their own cells reach, within a bound.
fn xlsx_rows<RS: std::io::Read + std::io::Seek>(
    file: &str,
    book: &mut calamine::Xlsx<RS>,
    sheet: &str,
    cells: &mut Cells,
) -> Result<Vec<Vec<Cell>>, RosterError> {
    let failed = |e: calamine::XlsxError| workbook_error(file, e.into());
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet: no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(failed(e)),
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(failed)? {
        let ((row, column), value) = (cell.get_position(), cell.get_value());
        if matches!(value, DataRef::Empty) {
            continue;
        }
        if row >= XLSX_ROWS || column >= XLSX_COLUMNS {
            return Err(RosterError::Corrupt {
                file: file.to_string(),
                detail: format!("シート「{sheet}」が Excel の上限を超える位置にセルを置いています"),
            });
        }
        let (row, column) = (row as usize, column as usize);
        let value = cell_of(&Data::from(value.clone()));
        checked(&value, || place(sheet, row, column)).map_err(|r| r.of(file))?;
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells
                .add(column + 1 - cells_of_row.len(), sheet)
                .map_err(|r| r.of(file))?;
            cells_of_row.resize(column + 1, Cell::Empty);
        }
        cells_of_row[column] = value;
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

/// How a line of a text file was read, when not plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineNote {
    /// A Shift_JIS file's line written in UTF-8 (an appended row), read as
    /// UTF-8 instead of as 螻ｱ逕ｰ.
    Utf8,
    /// Bytes the encoding cannot read, replaced with U+FFFD.
    Damaged,
}

/// A text file decoded line by line: a damaged byte costs its character,
/// not the file, and in a Shift_JIS file a line that is valid UTF-8 holding
/// Japanese is taken as UTF-8 (CP932 text is almost never valid UTF-8, while
/// a third of UTF-8 names also decode, wrongly, as CP932). UTF-16 has no
/// byte-wise lines and is decoded whole.
fn decode(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
) -> (String, Vec<(usize, LineNote)>) {
    let (encoding, bom) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((found, bom)) if found == encoding => (encoding, bom),
        _ => (encoding, 0),
    };
    let bytes = &bytes[bom..];
    if !encoding.is_ascii_compatible() {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        let notes = if had_errors {
            vec![(0, LineNote::Damaged)]
        } else {
            Vec::new()
        };
        return (text.into_owned(), notes);
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut notes = Vec::new();
    for (number, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let utf8 = (encoding == encoding_rs::SHIFT_JIS)
            .then(|| std::str::from_utf8(line).ok())
            .flatten()
            .filter(|l| l.chars().any(is_japanese));
        if let Some(line) = utf8 {
            text.push_str(line);
            notes.push((number + 1, LineNote::Utf8));
            continue;
        }
        let (line, had_errors) = encoding.decode_without_bom_handling(line);
        text.push_str(&line);
        if had_errors {
            notes.push((number + 1, LineNote::Damaged));
        }
    }
    (text, notes)
}

/// Kana and kanji: what a Japanese line written in UTF-8 holds.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// Refuses a line or a field no roster holds, and more cells than the
/// limits, before the CSV reader buffers them: one pass over the text,
/// following quotes as the CSV reader does.
fn check_delimited(text: &str, delimiter: char, sheet: &str) -> Result<(), Refusal> {
    let mut cells = Cells::default();
    let (mut quoted, mut line_bytes, mut field_chars) = (false, 0usize, 0usize);
    let (mut line, mut column) = (1usize, 0usize);
    for c in text.chars() {
        line_bytes += c.len_utf8();
        field_chars += 1;
        match c {
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => {
                field_chars = 0;
                column += 1;
                cells.add(1, sheet)?;
            }
            '\n' if !quoted => {
                cells.add(1, sheet)?;
                (line_bytes, field_chars, column) = (0, 0, 0);
                line += 1;
            }
            _ => (),
        }
        if field_chars > bounds::CELL_CHARS {
            return Err(bounds::cell_too_long(&format!(
                "{line}行目の{}列",
                column_letter(column)
            )));
        }
        if line_bytes > LINE_BYTES {
            return Err(Refusal::TooLarge {
                what: format!("{line}行目の長さ"),
                limit: bounds::megabytes(LINE_BYTES as u64),
            });
        }
    }
    Ok(())
}

/// Damaged rows beyond which the file is taken to be in another encoding:
/// more than one, and more than one in ten.
fn wrong_encoding(damaged_rows: usize, rows: usize) -> bool {
    damaged_rows > 1 && damaged_rows * 10 > rows
}

fn read_text(
    file: String,
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
) -> Result<Workbook, RosterError> {
    let encoding = forced.unwrap_or_else(|| detect(bytes));
    let (text, notes) = decode(bytes, encoding);
    let sheet = file
        .rsplit_once('.')
        .map_or(file.as_str(), |(stem, _)| stem)
        .to_string();
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
    check_delimited(&text, char::from(delimiter), &sheet).map_err(|r| r.of(&file))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut first_lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RosterError::Corrupt {
            file: file.clone(),
            detail: match e.position() {
                Some(at) => format!("{}行目を CSV として読み取れません", at.line()),
                None => "CSV として読み取れません".into(),
            },
        })?;
        first_lines.push(record.position().map_or(0, |p| p.line() as usize));
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
    let warnings = read_warnings(&sheet, &rows, &first_lines, &notes, encoding);
    let damaged_rows = warnings
        .iter()
        .filter(|w| w.message.starts_with(DAMAGED))
        .map(|w| w.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if wrong_encoding(damaged_rows, rows.len()) {
        return Err(RosterError::Corrupt {
            file,
            detail: format!(
                "{} として読めない文字があります。文字コードを指定し直してください",
                encoding.name()
            ),
        });
    }
    Ok(Workbook {
        file_name: file,
        encoding: Some(encoding.name()),
        sheets: vec![Sheet { name: sheet, rows }],
        warnings,
    })
}

const DAMAGED: &str = "読めない文字があったため";

/// The warnings of a decoded text file, on the rows and cells they concern:
/// each row read as UTF-8, each cell holding a replaced character.
fn read_warnings(
    sheet: &str,
    rows: &[Vec<Cell>],
    first_lines: &[usize],
    notes: &[(usize, LineNote)],
    encoding: &'static encoding_rs::Encoding,
) -> Vec<CellWarning> {
    let row_of_line = |line: usize| first_lines.partition_point(|&first| first <= line).max(1);
    let mut warnings = Vec::new();
    let mut utf8_rows: Vec<usize> = notes
        .iter()
        .filter(|(_, note)| *note == LineNote::Utf8)
        .map(|(line, _)| row_of_line(*line))
        .collect();
    utf8_rows.dedup();
    for row in utf8_rows {
        warnings.push(CellWarning {
            sheet: sheet.to_string(),
            row: row as u32,
            column: "行全体".into(),
            message: format!(
                "この行だけ UTF-8 で書かれていたため、ファイルの他の行（{}）とは別に \
                 UTF-8 として読みました。文字化けがないか確かめてください。",
                encoding.name()
            ),
        });
    }
    if notes.iter().any(|(_, note)| *note == LineNote::Damaged) {
        for (index, row) in rows.iter().enumerate() {
            for (column, cell) in row.iter().enumerate() {
                if matches!(cell, Cell::Text(t) if t.contains('\u{FFFD}')) {
                    warnings.push(CellWarning {
                        sheet: sheet.to_string(),
                        row: index as u32 + 1,
                        column: format!("{}列", column_letter(column)),
                        message: format!(
                            "{DAMAGED}「\u{FFFD}」に置き換えました\
                             （{} として読めないバイトがあります）。\
                             元のファイルで確かめてください。",
                            encoding.name()
                        ),
                    });
                }
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use daicho_ledger::Coded;

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
    fn an_xlsx_sheet_beyond_the_cell_bound_is_refused_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let far: Vec<_> = (0..1100).map(|row| (row, 16_383, "x")).collect();
        let err = read(&xlsx(dir.path(), "wide.xlsx", &far), None).unwrap_err();
        assert_eq!(err.code(), "roster_too_large");
        assert!(err.to_string().contains("1,500,000"), "{err}");
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
            &write(dir.path(), "x.csv", b"\x82\x20abc\n\x82\x20def\n"),
            Some("shift_jis"),
        )
        .unwrap_err();
        assert_eq!(bad_sjis.code(), "roster_corrupt");
        let video = [b"\0\0\0\x20ftypisom".as_slice(), &[0; 100]].concat();
        let video = read(&write(dir.path(), "clip.csv", &video), None).unwrap_err();
        assert!(video.to_string().contains("動画"), "{video}");
    }

    fn sjis(text: &str) -> Vec<u8> {
        encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
    }

    #[test]
    fn a_utf8_row_in_a_shift_jis_file_is_read_as_utf8_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = sjis("氏名,住所\n山田 太郎,東京都\n");
        bytes.extend("岩田 浩,大阪府\n".as_bytes());
        bytes.extend(sjis("佐藤 花子,京都府\n"));
        let book = read(&write(dir.path(), "mixed.csv", &bytes), None).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows[2][0].text(), "岩田 浩");
        assert_eq!(rows[3][0].text(), "佐藤 花子");
        assert_eq!(book.warnings.len(), 1, "{:?}", book.warnings);
        assert_eq!(book.warnings[0].row, 3);
        assert!(book.warnings[0].message.contains("UTF-8"));
    }

    #[test]
    fn one_damaged_byte_costs_its_character_not_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = sjis("氏名,住所\n山田 太郎,東京都\n");
        bytes.extend(b"\x82\x20,x\n");
        bytes.extend(sjis("佐藤 花子,京都府\n"));
        let book = read(&write(dir.path(), "damaged.csv", &bytes), None).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows[2][0].text(), "\u{FFFD}");
        assert_eq!(rows[3][0].text(), "佐藤 花子");
        let warning = &book.warnings[0];
        assert_eq!((warning.row, warning.column.as_str()), (3, "A列"));
    }

    #[test]
    fn a_field_longer_than_excel_allows_is_refused_naming_the_cell() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("氏名,住所\n{},東京都\n", "山".repeat(40_001));
        let err = read(&write(dir.path(), "long.csv", text.as_bytes()), None).unwrap_err();
        assert_eq!(err.code(), "roster_too_large");
        assert!(err.to_string().contains("2行目のA列"), "{err}");
    }

    #[test]
    fn numbers_read_as_people_wrote_them() {
        assert_eq!(Cell::Number(320997843.0).text(), "320997843");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }
}
