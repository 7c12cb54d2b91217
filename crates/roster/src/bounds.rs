//! Limits on what a roster file may make the reader hold, checked before
//! anything is allocated. calamine sizes what it allocates from numbers the
//! file declares (each .xls sheet from its cell positions and dimensions, the
//! .xlsx shared-string table from its count) and holds whole what a part
//! inflates to; a damaged file, or one made to harm, then exhausts memory or
//! aborts the process (found by fuzzing and adversarial testing: 861 bytes of
//! .ods that repeat a cell ten million times, 3 MB of .xlsx that inflate to
//! 3.5 GB). These read the same numbers first, and inflate each XML part once
//! as a stream, counting, to refuse what no real roster holds.

use std::io::{Cursor, Read};

use crate::error::RosterError;

/// A roster file as it lies on disk: a text file is read whole and decoded,
/// a workbook is read whole and unzipped from memory.
pub(crate) const TEXT_FILE_BYTES: u64 = 32 << 20;
pub(crate) const WORKBOOK_FILE_BYTES: u64 = 64 << 20;
/// What one part of a workbook, and all its parts together, may inflate to
/// (a 30,000-customer sheet is about 60 MB of XML).
const PART_BYTES: u64 = 128 << 20;
const WORKBOOK_BYTES: u64 = 256 << 20;
/// The longest run of XML text, or the longest tag: Excel's longest cell
/// (32,767 characters) written as character references fits with room.
const XML_RUN_BYTES: usize = 1 << 20;
/// Excel's own limit on one cell. A longer cell (a 40,001-character name)
/// refuses the file, naming the cell, rather than being cut: no spreadsheet
/// writes one, so the file is damaged or made, and what was cut would be
/// lost unseen; the office can shorten that one cell and read the file again.
pub(crate) const CELL_CHARS: usize = 32_767;
/// One line of a CSV file (a record, quoted line breaks included).
pub(crate) const LINE_BYTES: usize = 1 << 20;

/// The largest sheet an .xlsx can hold, and how many cells (empty ones
/// between values included) one sheet and a whole file may take when read:
/// 50,000 customers of 30 columns, in about 150 MB.
pub(crate) const XLSX_ROWS: u32 = 1_048_576;
pub(crate) const XLSX_COLUMNS: u32 = 16_384;
const SHEET_CELLS: usize = 1_500_000;
const WORKBOOK_CELLS: usize = 2_000_000;

/// Why a file is refused before it is read.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The file contradicts itself; the detail says how.
    Damaged(String),
    /// What exceeds a limit, and the limit, in the office's words.
    TooLarge { what: String, limit: String },
}

impl Refusal {
    pub(crate) fn of(self, file: &str) -> RosterError {
        let file = file.to_string();
        match self {
            Refusal::Damaged(detail) => RosterError::Corrupt { file, detail },
            Refusal::TooLarge { what, limit } => RosterError::TooLarge { file, what, limit },
        }
    }
}

fn too_large(what: impl Into<String>, limit: String) -> Refusal {
    Refusal::TooLarge {
        what: what.into(),
        limit,
    }
}

/// 2000000 as 2,000,000.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes >> 20)
}

/// Refuses a file larger on disk than any roster of its kind, before a byte
/// of it is read.
pub(crate) fn check_file_size(size: u64, workbook: bool) -> Result<(), Refusal> {
    let limit = if workbook {
        WORKBOOK_FILE_BYTES
    } else {
        TEXT_FILE_BYTES
    };
    if size > limit {
        return Err(too_large("ファイルの大きさ", megabytes(limit)));
    }
    Ok(())
}

/// Refuses a cell longer than Excel allows; `place` names it (シート「名簿」のB2セル).
pub(crate) fn check_cell_text(text: &str, place: impl FnOnce() -> String) -> Result<(), Refusal> {
    // Bytes first: most cells are short, and counting characters is not free.
    if text.len() > CELL_CHARS && text.chars().count() > CELL_CHARS {
        return Err(cell_too_long(&place()));
    }
    Ok(())
}

pub(crate) fn cell_too_long(place: &str) -> Refusal {
    too_large(
        format!("{place}の文字数"),
        format!("{} 文字", grouped(CELL_CHARS as u64)),
    )
}

/// The cells a file has taken so far, in its current sheet and in all.
#[derive(Default)]
pub(crate) struct Cells {
    earlier_sheets: usize,
    sheet: usize,
}

impl Cells {
    pub(crate) fn next_sheet(&mut self) {
        self.earlier_sheets += self.sheet;
        self.sheet = 0;
    }

    pub(crate) fn add(&mut self, cells: usize, sheet: &str) -> Result<(), Refusal> {
        self.sheet_holds(self.sheet.saturating_add(cells), sheet)
    }

    /// The current sheet holds `cells` in all.
    pub(crate) fn sheet_holds(&mut self, cells: usize, sheet: &str) -> Result<(), Refusal> {
        self.sheet = cells;
        if cells > SHEET_CELLS {
            return Err(too_large(
                format!("シート「{sheet}」のセルの数（空白のセルを含む）"),
                format!("{} 個", grouped(SHEET_CELLS as u64)),
            ));
        }
        if self.earlier_sheets.saturating_add(cells) > WORKBOOK_CELLS {
            return Err(too_large(
                "ファイル全体のセルの数（空白のセルを含む）",
                format!("{} 個", grouped(WORKBOOK_CELLS as u64)),
            ));
        }
        Ok(())
    }
}

/// The largest sheet the .xls format can hold.
const MAX_ROWS: u64 = 65_536;
const MAX_COLUMNS: u64 = 256;

const BROKEN_XLS: &str = "Excel 97-2003 形式の内部構造が壊れています";

/// Walks the .xls records calamine will walk and refuses a sheet larger than
/// the format itself can hold (65,536 rows × 256 columns): such a file is
/// damaged. Sheets within the format are held to the cell limits, and the
/// shared-string table, which calamine reserves by its declared count, to the
/// file's.
pub(crate) fn check_xls(bytes: &[u8]) -> Result<(), Refusal> {
    let broken = || Refusal::Damaged(BROKEN_XLS.into());
    let Ok(mut container) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Err(broken());
    };
    let Some(mut stream) = ["/Workbook", "/Book"]
        .iter()
        .find_map(|name| container.open_stream(name).ok())
    else {
        // Not a workbook: calamine says so in its own words.
        return Ok(());
    };
    let mut workbook = Vec::new();
    if stream.read_to_end(&mut workbook).is_err() {
        return Err(broken());
    }
    check_xls_strings(&workbook)?;
    let mut cells = Cells::default();
    for (number, offset) in sheet_offsets(&workbook).into_iter().enumerate() {
        // calamine fails on an offset past the end; nothing to size then.
        let Some(sheet) = workbook.get(offset..) else {
            continue;
        };
        let Some(span) = sheet_cells(sheet) else {
            return Err(Refusal::Damaged(format!(
                "{}枚目のシートが Excel 97-2003 形式の上限（65,536行 × 256列）を\
                 超える大きさを宣言しています",
                number + 1
            )));
        };
        cells.next_sheet();
        cells.sheet_holds(span as usize, &format!("{}枚目", number + 1))?;
    }
    Ok(())
}

/// The shared-string table's declared count (SST: total, then unique).
fn check_xls_strings(workbook: &[u8]) -> Result<(), Refusal> {
    let declared = records(workbook)
        .take_while(|(typ, _)| *typ != 0x000A)
        .find(|(typ, data)| *typ == 0x00FC && data.len() >= 8)
        .map_or(0, |(_, data)| u32_at(data, 4) as usize);
    if declared > WORKBOOK_CELLS {
        return Err(too_large(
            "共有文字列の数",
            format!("{} 個", grouped(WORKBOOK_CELLS as u64)),
        ));
    }
    Ok(())
}

/// BIFF records as calamine reads them: type, length, data; the CONTINUE
/// records that follow a record belong to it and are skipped.
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16::from_le_bytes(stream.get(0..2)?.try_into().ok()?);
        let len = u16::from_le_bytes(stream.get(2..4)?.try_into().ok()?) as usize;
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        while stream.get(0..2) == Some(&[0x3C, 0x00]) {
            let len = u16::from_le_bytes(stream.get(2..4)?.try_into().ok()?) as usize;
            stream = stream.get(4 + len..)?;
        }
        Some((typ, data))
    })
}

/// Where each sheet's records start (BoundSheet8), up to the workbook
/// globals' EOF.
fn sheet_offsets(workbook: &[u8]) -> Vec<usize> {
    records(workbook)
        .take_while(|(typ, _)| *typ != 0x000A)
        .filter(|(typ, data)| *typ == 0x0085 && data.len() >= 4)
        .map(|(_, data)| u32_at(data, 0) as usize)
        .collect()
}

/// The cells calamine will build this sheet from (the span of its cell
/// positions), or `None` when what it would allocate exceeds the format's
/// limits: the declared dimensions it reserves for, or that span.
fn sheet_cells(sheet: &[u8]) -> Option<u64> {
    let mut span = Span::default();
    let mut depth = 0usize;
    let mut seen_bof = false;
    for (typ, data) in records(sheet) {
        // Embedded charts are substreams calamine skips; so does this.
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => (),
            }
            continue;
        }
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 if declared_cells(data) > MAX_ROWS * MAX_COLUMNS => return None,
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row and
            // column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                span.add(u16_at(data, 0), u16_at(data, 2));
            }
            // MulRk: row, first column, …, last column.
            0x00BD if data.len() >= 6 => {
                let row = u16_at(data, 0);
                span.add(row, u16_at(data, 2));
                span.add(row, u16_at(data, data.len() - 2));
            }
            _ => (),
        }
    }
    Some(span.cells()).filter(|&cells| cells <= MAX_ROWS * MAX_COLUMNS)
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

/// The cells a Dimensions record makes calamine reserve, computed as it
/// does (its row count wraps when the last row is before the first).
fn declared_cells(data: &[u8]) -> u64 {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u16_at(data, 0) as u32,
            u16_at(data, 2) as u32,
            u16_at(data, 4) as u32,
            u16_at(data, 6) as u32,
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8) as u32,
            u16_at(data, 10) as u32,
        ),
        _ => return 0,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return 1;
    }
    let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1) as u64;
    let columns = (last_col - 1).wrapping_sub(first_col).wrapping_add(1) as u64;
    rows.saturating_mul(columns)
}

#[derive(Default)]
struct Span {
    rows: Option<(u16, u16)>,
    columns: Option<(u16, u16)>,
}

impl Span {
    fn add(&mut self, row: u16, column: u16) {
        let widen = |range: Option<(u16, u16)>, at: u16| {
            Some(range.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))))
        };
        self.rows = widen(self.rows, row);
        self.columns = widen(self.columns, column);
    }

    fn cells(&self) -> u64 {
        let length = |range: Option<(u16, u16)>| range.map_or(0, |(lo, hi)| (hi - lo) as u64 + 1);
        length(self.rows) * length(self.columns)
    }
}

/// Refuses a zipped workbook (.xlsx, .ods) that inflates beyond the limits,
/// holds a text or a tag longer than any cell, or more cells or shared
/// strings than the limits. The sizes its central directory declares are
/// checked first; then each XML part is inflated as a stream and counted,
/// since declared sizes can lie.
pub(crate) fn check_zip(bytes: &[u8]) -> Result<(), Refusal> {
    // An archive that does not open is calamine's to describe.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    check_declared_sizes(&mut archive)?;
    let mut inflated = 0u64;
    let mut cells = Cells::default();
    for index in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(index) else {
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut scan = XmlScan::new(Watch::for_part(&name));
        let mut part = 0u64;
        let mut chunk = vec![0; 64 << 10];
        loop {
            let read = entry
                .read(&mut chunk)
                .map_err(|_| Refusal::Damaged("圧縮された中身が壊れています".into()))?;
            if read == 0 {
                break;
            }
            part += read as u64;
            inflated += read as u64;
            check_inflated(&name, part, inflated)?;
            scan.feed(&chunk[..read], &mut cells)?;
        }
        scan.watch.finish()?;
    }
    Ok(())
}

fn check_declared_sizes<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<(), Refusal> {
    let mut total = 0u64;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(index) else {
            continue;
        };
        total = total.saturating_add(entry.size());
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        check_inflated(&name, entry.size(), total)?;
    }
    Ok(())
}

fn check_inflated(part: &str, size: u64, total: u64) -> Result<(), Refusal> {
    if size > PART_BYTES {
        return Err(too_large(
            format!("ファイル内部の部品「{part}」の展開後の大きさ"),
            megabytes(PART_BYTES),
        ));
    }
    if total > WORKBOOK_BYTES {
        return Err(too_large(
            "ファイル内部の展開後の大きさの合計",
            megabytes(WORKBOOK_BYTES),
        ));
    }
    Ok(())
}

/// One pass over an XML part as it inflates: the length of each run of text
/// and of each tag, and each tag handed to a watcher. Quotes are not
/// tracked: writers escape `>` in attributes, and one they did not would
/// only split a tag, never join a document into one run.
struct XmlScan {
    in_tag: bool,
    run: usize,
    tag: Vec<u8>,
    watch: Watch,
}

impl XmlScan {
    fn new(watch: Watch) -> Self {
        XmlScan {
            in_tag: false,
            run: 0,
            tag: Vec::new(),
            watch,
        }
    }

    fn feed(&mut self, bytes: &[u8], cells: &mut Cells) -> Result<(), Refusal> {
        let collect = !matches!(self.watch, Watch::Nothing);
        for &byte in bytes {
            match (self.in_tag, byte) {
                (false, b'<') => {
                    self.in_tag = true;
                    self.run = 0;
                    continue;
                }
                (true, b'>') => {
                    self.in_tag = false;
                    self.run = 0;
                    self.watch.tag(&self.tag, cells)?;
                    self.tag.clear();
                    continue;
                }
                (true, _) if collect => self.tag.push(byte),
                _ => (),
            }
            self.run += 1;
            if self.run > XML_RUN_BYTES {
                return Err(too_large(
                    "ファイル内部の1つのセルまたは要素の大きさ",
                    format!(
                        "{}、セル1つは {} 文字まで",
                        megabytes(XML_RUN_BYTES as u64),
                        grouped(CELL_CHARS as u64)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A tag's name, and whether it ends (`</row>`) or is empty (`<c/>`).
struct Tag<'a> {
    name: &'a [u8],
    closing: bool,
    empty: bool,
    whole: &'a [u8],
}

impl<'a> Tag<'a> {
    fn of(tag: &'a [u8]) -> Self {
        let closing = tag.first() == Some(&b'/');
        let body = if closing { &tag[1..] } else { tag };
        let end = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(body.len());
        Tag {
            name: &body[..end],
            closing,
            empty: tag.last() == Some(&b'/'),
            whole: tag,
        }
    }

    /// The name without its namespace prefix.
    fn local(&self) -> &[u8] {
        self.name.rsplit(|b| *b == b':').next().unwrap_or(self.name)
    }

    /// The value of an attribute, as written.
    fn attribute(&self, name: &str) -> Option<&'a [u8]> {
        let at = self.whole.windows(name.len() + 2).position(|w| {
            w[0].is_ascii_whitespace()
                && &w[1..=name.len()] == name.as_bytes()
                && w[name.len() + 1] == b'='
        })? + name.len()
            + 2;
        let quote = *self.whole.get(at)?;
        let value = self.whole.get(at + 1..)?;
        let end = value.iter().position(|b| *b == quote)?;
        Some(&value[..end])
    }

    fn number(&self, name: &str) -> Option<u64> {
        std::str::from_utf8(self.attribute(name)?)
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

/// What a part's tags are watched for.
enum Watch {
    Nothing,
    /// An .xlsx shared-string table: calamine reserves its declared count
    /// and holds every string.
    SharedStrings {
        declared: u64,
        strings: u64,
    },
    /// An .ods body: calamine expands repeated cells and rows.
    OdsCells(OdsSheet),
}

/// Below this many shared strings the table is too small to matter, and the
/// declared count is trusted.
const TRUSTED_SHARED_STRINGS: u64 = 1_000_000;

impl Watch {
    fn for_part(name: &str) -> Self {
        let name = name.to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") {
            Watch::SharedStrings {
                declared: 0,
                strings: 0,
            }
        } else if name == "content.xml" {
            Watch::OdsCells(OdsSheet::default())
        } else {
            Watch::Nothing
        }
    }

    fn tag(&mut self, tag: &[u8], cells: &mut Cells) -> Result<(), Refusal> {
        let tag = Tag::of(tag);
        match self {
            Watch::Nothing => Ok(()),
            Watch::SharedStrings { declared, strings } => {
                match tag.local() {
                    b"sst" if !tag.closing => *declared = tag.number("uniqueCount").unwrap_or(0),
                    b"si" if !tag.closing => *strings += 1,
                    _ => (),
                }
                if *strings > WORKBOOK_CELLS as u64 {
                    return Err(too_large(
                        "共有文字列の数",
                        format!("{} 個", grouped(WORKBOOK_CELLS as u64)),
                    ));
                }
                Ok(())
            }
            Watch::OdsCells(sheet) => sheet.tag(&tag, cells),
        }
    }

    fn finish(&self) -> Result<(), Refusal> {
        match self {
            Watch::SharedStrings { declared, strings }
                if *declared > TRUSTED_SHARED_STRINGS && declared > strings =>
            {
                Err(Refusal::Damaged(format!(
                    "共有文字列の数（{declared}）が実際の中身の量と合いません"
                )))
            }
            _ => Ok(()),
        }
    }
}

/// The cells of an .ods sheet as calamine builds them: every row from the
/// first with a value to the last, repeats expanded, as wide as the widest
/// (a row's trailing empty cells, which LibreOffice repeats to the last
/// column, take nothing).
#[derive(Default)]
struct OdsSheet {
    name: String,
    rows: u64,
    first: Option<u64>,
    end: u64,
    width: u64,
    row_repeats: u64,
    row_cells: u64,
    row_width: u64,
}

impl OdsSheet {
    fn tag(&mut self, tag: &Tag, cells: &mut Cells) -> Result<(), Refusal> {
        match (tag.name, tag.closing) {
            (b"table:table", false) => {
                *self = OdsSheet {
                    name: String::from_utf8_lossy(tag.attribute("table:name").unwrap_or(b""))
                        .into_owned(),
                    ..OdsSheet::default()
                };
                cells.next_sheet();
            }
            (b"table:table-row", false) => {
                let repeats = tag.number("table:number-rows-repeated").unwrap_or(1);
                self.row_repeats = repeats.min(XLSX_ROWS as u64 - self.rows.min(XLSX_ROWS as u64));
                self.row_cells = 0;
                self.row_width = 0;
                if tag.empty {
                    return self.end_row(cells);
                }
            }
            (b"table:table-row", true) => return self.end_row(cells),
            (b"table:table-cell" | b"table:covered-table-cell", false) => {
                let repeats = tag.number("table:number-columns-repeated").unwrap_or(1);
                self.row_cells +=
                    repeats.min(XLSX_COLUMNS as u64 - self.row_cells.min(XLSX_COLUMNS as u64));
                let valued = !tag.empty
                    || tag.attribute("office:value-type").is_some()
                    || tag.attribute("table:formula").is_some();
                if valued {
                    self.row_width = self.row_cells;
                }
            }
            _ => (),
        }
        Ok(())
    }

    fn end_row(&mut self, cells: &mut Cells) -> Result<(), Refusal> {
        if self.row_width > 0 {
            let first = *self.first.get_or_insert(self.rows);
            self.end = self.rows + self.row_repeats;
            self.width = self.width.max(self.row_width);
            let held = (self.end - first).saturating_mul(self.width);
            cells.sheet_holds(usize::try_from(held).unwrap_or(usize::MAX), &self.name)?;
        }
        self.rows += self.row_repeats;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn cell(typ: u16, row: u16, column: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(column.to_le_bytes());
        data.extend([0; 10]);
        record(typ, &data)
    }

    fn sheet_fits(sheet: &[u8]) -> bool {
        sheet_cells(sheet).is_some()
    }

    fn sheet(body: &[Vec<u8>]) -> Vec<u8> {
        let mut out = record(0x0809, &[0; 16]);
        out.extend(body.concat());
        out.extend(record(0x000A, &[]));
        out
    }

    fn dimensions(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
        let mut data = first_row.to_le_bytes().to_vec();
        data.extend(last_row.to_le_bytes());
        data.extend(first_col.to_le_bytes());
        data.extend(last_col.to_le_bytes());
        data.extend([0, 0]);
        record(0x0200, &data)
    }

    #[test]
    fn an_ordinary_sheet_fits() {
        let body = [
            dimensions(0, 432, 0, 12),
            cell(0x00FD, 0, 0),
            cell(0x0203, 431, 11),
        ];
        assert!(sheet_fits(&sheet(&body)));
    }

    #[test]
    fn the_largest_sheet_the_format_holds_fits() {
        let body = [
            dimensions(0, 65_536, 0, 256),
            cell(0x0203, 0, 0),
            cell(0x0203, 65_535, 255),
        ];
        assert!(sheet_fits(&sheet(&body)));
    }

    #[test]
    fn a_cell_beyond_the_last_column_does_not() {
        assert!(!sheet_fits(&sheet(&[
            cell(0x0203, 0, 0),
            cell(0x027E, 65_535, 16_000)
        ])));
    }

    #[test]
    fn a_mulrk_reaching_past_the_last_column_does_not() {
        let mut data = 5u16.to_le_bytes().to_vec();
        data.extend(0u16.to_le_bytes());
        data.extend([0; 6]);
        data.extend(40_000u16.to_le_bytes());
        let body = [cell(0x0203, 60_000, 0), record(0x00BD, &data)];
        assert!(!sheet_fits(&sheet(&body)));
    }

    #[test]
    fn dimensions_declaring_billions_of_cells_do_not() {
        assert!(!sheet_fits(&sheet(&[dimensions(0, 4_000_000_000, 0, 200)])));
        // A last row before the first wraps to billions in calamine.
        assert!(!sheet_fits(&sheet(&[dimensions(10, 5, 0, 3)])));
    }

    #[test]
    fn cells_in_an_embedded_chart_are_not_counted() {
        let chart = [
            record(0x0809, &[0; 16]),
            cell(0x0203, 65_535, 60_000),
            record(0x000A, &[]),
        ]
        .concat();
        assert!(sheet_fits(&sheet(&[
            cell(0x0203, 0, 0),
            chart,
            cell(0x0203, 3, 3)
        ])));
    }

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/rosters");
        std::fs::read(std::path::Path::new(dir).join(name)).unwrap()
    }

    #[test]
    fn a_real_workbook_passes_and_its_damaged_copy_does_not() {
        assert!(check_xls(&fixture("roster_legacy.xls")).is_ok());
        let err = check_xls(&fixture("oversized_sheet.xls"))
            .unwrap_err()
            .of("x.xls")
            .to_string();
        assert!(err.contains("シート") && err.contains("65,536行"), "{err}");
    }

    fn xlsx_with_shared_strings(xml: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "xl/sharedStrings.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_shared_string_count_the_table_could_hold_passes() {
        assert!(check_zip(&fixture("roster_basic.xlsx")).is_ok());
        let strings = "<si><t>山田</t></si>".repeat(10);
        let xml = format!(r#"<sst xmlns="x" count="10" uniqueCount="10">{strings}</sst>"#);
        assert!(check_zip(&xlsx_with_shared_strings(&xml)).is_ok());
    }

    #[test]
    fn a_shared_string_count_of_billions_does_not() {
        let xml = r#"<?xml version="1.0"?><sst xmlns="x" uniqueCount="5000000000"><si><t>山田</t></si></sst>"#;
        let err = check_zip(&xlsx_with_shared_strings(xml))
            .unwrap_err()
            .of("x.xlsx")
            .to_string();
        assert!(err.contains("5000000000"), "{err}");
    }
}
