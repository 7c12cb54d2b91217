//! Size checks before calamine reads a workbook. calamine sizes what it
//! allocates from numbers the file declares: each .xls sheet from its cell
//! positions and dimensions, the .xlsx shared-string table from its count. A
//! damaged file that declares billions makes the allocation fail, which
//! aborts the process instead of returning an error (found by fuzzing). These
//! read the same numbers first and refuse what no real file holds; the
//! limits that `read` applies to .xlsx sheets it streams itself live here too.

use std::io::{Cursor, Read};

/// The largest sheet the .xls format can hold.
const MAX_ROWS: u64 = 65_536;
const MAX_COLUMNS: u64 = 256;

/// The largest sheet an .xlsx can hold, and how many cells (empty ones
/// between values included) one sheet may take when read.
pub(crate) const XLSX_ROWS: u32 = 1_048_576;
pub(crate) const XLSX_COLUMNS: u32 = 16_384;
pub(crate) const SHEET_CELLS: usize = 1 << 24;

const BROKEN_XLS: &str = "Excel 97-2003 形式の内部構造が壊れています";

/// The smallest a shared string can be written in XML (`<si/>`).
const MIN_SHARED_STRING_BYTES: u64 = 5;
/// Below this many shared strings the table is too small to matter, and the
/// declared count is trusted without reading the table.
const TRUSTED_SHARED_STRINGS: u64 = 1_000_000;

/// Walks the .xls records calamine will walk and refuses a sheet larger than
/// the format itself can hold (65,536 rows × 256 columns): such a file is
/// damaged. The error is the detail of `RosterError::Corrupt`.
pub(crate) fn check_xls(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut container) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Err(BROKEN_XLS.into());
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
        return Err(BROKEN_XLS.into());
    }
    for (number, offset) in sheet_offsets(&workbook).into_iter().enumerate() {
        // calamine fails on an offset past the end; nothing to size then.
        let Some(sheet) = workbook.get(offset..) else {
            continue;
        };
        if !sheet_fits(sheet) {
            return Err(format!(
                "{}枚目のシートが Excel 97-2003 形式の上限（65,536行 × 256列）を超える大きさを宣言しています",
                number + 1
            ));
        }
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

/// Whether what calamine would allocate for this sheet stays within the
/// format's limits: the declared dimensions it reserves for, and the span of
/// the cell positions it builds the sheet from.
fn sheet_fits(sheet: &[u8]) -> bool {
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
            0x0200 if declared_cells(data) > MAX_ROWS * MAX_COLUMNS => return false,
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
    span.cells() <= MAX_ROWS * MAX_COLUMNS
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

/// Refuses an .xlsx whose shared-string table declares more strings than
/// its own text could hold.
pub(crate) fn check_xlsx(bytes: &[u8]) -> Result<(), String> {
    // An archive that does not open is calamine's to describe.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for index in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(index) else {
            continue;
        };
        let shared_strings = entry
            .name()
            .is_ok_and(|name| name.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !shared_strings {
            continue;
        }
        let mut start = Vec::new();
        (&mut entry)
            .take(4096)
            .read_to_end(&mut start)
            .map_err(|e| e.to_string())?;
        let declared = unique_count(&start).unwrap_or(0);
        if declared <= TRUSTED_SHARED_STRINGS {
            continue;
        }
        let rest = std::io::copy(&mut entry, &mut std::io::sink()).map_err(|e| e.to_string())?;
        let written = start.len() as u64 + rest;
        if declared > written / MIN_SHARED_STRING_BYTES {
            return Err(format!(
                "共有文字列の数（{declared}）が実際の中身の量と合いません"
            ));
        }
    }
    Ok(())
}

/// The `uniqueCount` attribute of the `<sst>` element, read as calamine
/// reads it (digits only).
fn unique_count(xml: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(xml);
    let sst = text.find("<sst")?;
    let attribute = text[sst..].find("uniqueCount=")? + sst + "uniqueCount=".len();
    let value: String = text[attribute + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    value.parse().ok()
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
        assert_eq!(check_xls(&fixture("roster_legacy.xls")), Ok(()));
        let err = check_xls(&fixture("oversized_sheet.xls")).unwrap_err();
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
        assert_eq!(check_xlsx(&fixture("roster_basic.xlsx")), Ok(()));
        let strings = "<si><t>山田</t></si>".repeat(10);
        let xml = format!(r#"<sst xmlns="x" count="10" uniqueCount="10">{strings}</sst>"#);
        assert_eq!(check_xlsx(&xlsx_with_shared_strings(&xml)), Ok(()));
    }

    #[test]
    fn a_shared_string_count_of_billions_does_not() {
        let xml = r#"<?xml version="1.0"?><sst xmlns="x" uniqueCount="5000000000"><si><t>山田</t></si></sst>"#;
        let err = check_xlsx(&xlsx_with_shared_strings(xml)).unwrap_err();
        assert!(err.contains("5000000000"), "{err}");
    }
}
