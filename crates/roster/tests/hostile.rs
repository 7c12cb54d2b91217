//! Files made to exhaust memory or time, built here at run time (none is
//! committed: a few are hundreds of megabytes unpacked). Each is read and
//! planned in a child process (this test binary run again) so that its peak
//! memory (VmHWM) is its own; every one must be refused, naming the file and
//! the limit, in under 5 s and 300 MB, even in a debug build.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use daicho_ledger::Coded;
use zip::write::SimpleFileOptions;

const FILE_VAR: &str = "DAICHO_HOSTILE_FILE";
const SECONDS: Duration = Duration::from_secs(5);
const PEAK_KB: u64 = 300 * 1024;

/// The child: reads and plans the file it is given, then reports the
/// outcome and its own peak memory. Run only by `measure`.
#[test]
#[ignore = "run by the other tests, in a child process"]
fn child() {
    let Some(path) = std::env::var_os(FILE_VAR) else {
        return;
    };
    let outcome = daicho_roster::read(Path::new(&path), None)
        .and_then(|book| daicho_roster::plan(book, &[], &Default::default()));
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap()
        .trim()
        .trim_end_matches(" kB")
        .to_string();
    let (code, message) = match outcome {
        Ok(plan) => ("ok".to_string(), format!("{} records", plan.records.len())),
        Err(e) => (e.code().to_string(), e.to_string()),
    };
    println!("HOSTILE\t{code}\t{peak}\t{message}");
}

struct Measured {
    code: String,
    peak_kb: u64,
    message: String,
    elapsed: Duration,
}

/// One child at a time: the machine has two cores, and a child's time is
/// what is measured.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn measure(path: &Path) -> Measured {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    // A regression must fail the test, not take the machine's memory.
    let output = Command::new("prlimit")
        .arg("--as=4000000000")
        .arg(std::env::current_exe().unwrap())
        .args([
            "child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(FILE_VAR, path)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("HOSTILE\t").map(|(_, report)| report))
        .unwrap_or_else(|| {
            panic!(
                "the child reported nothing: {stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let mut fields = line.splitn(3, '\t');
    let measured = Measured {
        code: fields.next().unwrap().to_string(),
        peak_kb: fields.next().unwrap().parse().unwrap(),
        message: fields.next().unwrap_or_default().to_string(),
        elapsed,
    };
    eprintln!(
        "{}: {} in {:.2} s, peak {} MB: {}",
        path.file_name().unwrap().to_string_lossy(),
        measured.code,
        elapsed.as_secs_f64(),
        measured.peak_kb / 1024,
        measured.message
    );
    measured
}

/// The file is refused with `code`, naming itself and `limit`, within the
/// time and memory bounds.
fn assert_refused(path: &Path, code: &str, limit: &str) {
    let m = measure(path);
    let name = path.file_name().unwrap().to_string_lossy();
    assert_eq!(m.code, code, "{name}: {}", m.message);
    assert!(m.message.contains(name.as_ref()), "{}", m.message);
    assert!(m.message.contains(limit), "{}", m.message);
    assert!(m.elapsed < SECONDS, "{name} took {:?}", m.elapsed);
    assert!(m.peak_kb < PEAK_KB, "{name} peaked at {} kB", m.peak_kb);
}

/// A part's body: written in pieces, so that hundreds of megabytes are never
/// held by the test either.
type Body<'a> = Box<dyn Fn(&mut dyn Write) + 'a>;

fn text(body: String) -> Body<'static> {
    Box::new(move |out| out.write_all(body.as_bytes()).unwrap())
}

/// `open` + `repeat` × `times` + `close`.
fn repeated<'a>(open: &'a str, repeat: &'a str, times: usize, close: &'a str) -> Body<'a> {
    Box::new(move |out| {
        out.write_all(open.as_bytes()).unwrap();
        let chunk = repeat.repeat((1 << 20) / repeat.len().max(1));
        let per_chunk = (1 << 20) / repeat.len().max(1);
        for _ in 0..times / per_chunk {
            out.write_all(chunk.as_bytes()).unwrap();
        }
        out.write_all(repeat.repeat(times % per_chunk).as_bytes())
            .unwrap();
        out.write_all(close.as_bytes()).unwrap();
    })
}

fn zip_file(path: &Path, parts: Vec<(&str, Body)>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, body) in parts {
        let options = if name == "mimetype" {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default().compression_level(Some(1))
        };
        zip.start_file(name, options).unwrap();
        body(&mut zip);
    }
    zip.finish().unwrap();
}

const SHEET_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_CLOSE: &str = "</sheetData></worksheet>";

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
/// Namespaces and content types of a package, named once so that the parts
/// below are written in lines rustfmt can lay out.
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const SPREADSHEETML: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const OPENDOCUMENT_SHEET: &str = "application/vnd.oasis.opendocument.spreadsheet";
const ODF_MANIFEST: &str = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";

fn relationship(id: &str, kind: &str, target: &str) -> String {
    format!(r#"<Relationship Id="{id}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"/>"#)
}

fn relationships(inner: &str) -> String {
    format!(
        r#"{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{inner}</Relationships>"#
    )
}

fn content_type(part: &str, kind: &str) -> String {
    format!(r#"<Override PartName="{part}" ContentType="{kind}"/>"#)
}

fn content_types(overrides: &str) -> String {
    let types = "http://schemas.openxmlformats.org/package/2006/content-types";
    let rels = r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#;
    let xml = r#"<Default Extension="xml" ContentType="application/xml"/>"#;
    let workbook = content_type(
        "/xl/workbook.xml",
        &format!("{SPREADSHEETML}.sheet.main+xml"),
    );
    let strings = content_type(
        "/xl/sharedStrings.xml",
        &format!("{SPREADSHEETML}.sharedStrings+xml"),
    );
    format!(
        r#"{XML_DECLARATION}<Types xmlns="{types}">{rels}{xml}{workbook}{strings}{overrides}</Types>"#
    )
}

/// An .xlsx of `sheets` sheets whose parts are given (sheet bodies as
/// xl/worksheets/sheetN.xml, and xl/sharedStrings.xml if any).
fn xlsx(path: &Path, sheets: usize, parts: Vec<(&str, Body)>) {
    let names: String = (1..=sheets)
        .map(|n| format!(r#"<sheet name="名簿{n}" sheetId="{n}" r:id="rId{n}"/>"#))
        .collect();
    let rels: String = (1..=sheets)
        .map(|n| {
            relationship(
                &format!("rId{n}"),
                "worksheet",
                &format!("worksheets/sheet{n}.xml"),
            )
        })
        .collect();
    let overrides: String = (1..=sheets)
        .map(|n| {
            let part = format!("/xl/worksheets/sheet{n}.xml");
            content_type(&part, &format!("{SPREADSHEETML}.worksheet+xml"))
        })
        .collect();
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let workbook = format!(
        r#"{XML_DECLARATION}<workbook xmlns="{main}" xmlns:r="{RELATIONSHIPS}"><sheets>{names}</sheets></workbook>"#
    );
    let strings = relationship("rIdS", "sharedStrings", "sharedStrings.xml");
    let office_document = relationship("rId1", "officeDocument", "xl/workbook.xml");
    let mut all: Vec<(&str, Body)> = vec![
        ("[Content_Types].xml", text(content_types(&overrides))),
        ("_rels/.rels", text(relationships(&office_document))),
        ("xl/workbook.xml", text(workbook)),
        (
            "xl/_rels/workbook.xml.rels",
            text(relationships(&format!("{rels}{strings}"))),
        ),
    ];
    all.extend(parts);
    zip_file(path, all);
}

/// An .ods whose content.xml is `content`.
fn ods(path: &Path, content: Body) {
    let entry = |path: &str, kind: &str| {
        format!(
            r#"<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>"#
        )
    };
    let manifest = format!(
        r#"{XML_DECLARATION}<manifest:manifest xmlns:manifest="{ODF_MANIFEST}" manifest:version="1.2">{}{}</manifest:manifest>"#,
        entry("/", OPENDOCUMENT_SHEET),
        entry("content.xml", "text/xml"),
    );
    zip_file(
        path,
        vec![
            ("mimetype", text(OPENDOCUMENT_SHEET.into())),
            ("META-INF/manifest.xml", text(manifest)),
            ("content.xml", content),
        ],
    );
}

const ODS_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="名簿">"#;
const ODS_CLOSE: &str =
    "</table:table></office:spreadsheet></office:body></office:document-content>";

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn at(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

#[test]
fn a_sheet_inflating_to_hundreds_of_megabytes_of_whitespace() {
    let d = dir();
    let path = at(&d, "空白.xlsx");
    let sheet = repeated(SHEET_OPEN, " ", 300 << 20, SHEET_CLOSE);
    xlsx(&path, 1, vec![("xl/worksheets/sheet1.xml", sheet)]);
    assert_refused(&path, "roster_too_large", "128 MB");
}

#[test]
fn whitespace_under_the_part_limit_is_refused_by_its_run() {
    let d = dir();
    let path = at(&d, "空白2.xlsx");
    let sheet = repeated(SHEET_OPEN, " ", 100 << 20, SHEET_CLOSE);
    xlsx(&path, 1, vec![("xl/worksheets/sheet1.xml", sheet)]);
    assert_refused(&path, "roster_too_large", "32,767");
}

#[test]
fn one_shared_string_of_a_hundred_megabytes() {
    let d = dir();
    let path = at(&d, "共有文字列.xlsx");
    let strings = repeated(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#,
        "山",
        30 << 20,
        "</t></si></sst>",
    );
    let sheet = text(format!(
        r#"{SHEET_OPEN}<row r="1"><c r="A1" t="s"><v>0</v></c></row>{SHEET_CLOSE}"#
    ));
    xlsx(
        &path,
        1,
        vec![
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ],
    );
    assert_refused(&path, "roster_too_large", "32,767");
}

#[test]
fn millions_of_empty_shared_strings() {
    let d = dir();
    let path = at(&d, "空の共有文字列.xlsx");
    let strings = repeated(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        "<si/>",
        3_000_000,
        "</sst>",
    );
    let sheet = text(format!("{SHEET_OPEN}{SHEET_CLOSE}"));
    xlsx(
        &path,
        1,
        vec![
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ],
    );
    assert_refused(&path, "roster_too_large", "2,000,000");
}

#[test]
fn an_inline_cell_of_a_hundred_megabytes() {
    let d = dir();
    let path = at(&d, "長いセル.xlsx");
    let open = format!(r#"{SHEET_OPEN}<row r="1"><c r="A1" t="inlineStr"><is><t>"#);
    let sheet = repeated(
        &open,
        "a",
        100 << 20,
        "</t></is></c></row></sheetData></worksheet>",
    );
    xlsx(&path, 1, vec![("xl/worksheets/sheet1.xml", sheet)]);
    assert_refused(&path, "roster_too_large", "32,767");
}

#[test]
fn a_cell_just_over_excels_limit_is_named() {
    let d = dir();
    let path = at(&d, "40001.xlsx");
    let open = format!(r#"{SHEET_OPEN}<row r="2"><c r="B2" t="inlineStr"><is><t>"#);
    let sheet = repeated(
        &open,
        "名",
        40_001,
        "</t></is></c></row></sheetData></worksheet>",
    );
    xlsx(&path, 1, vec![("xl/worksheets/sheet1.xml", sheet)]);
    assert_refused(&path, "roster_too_large", "B2セル");
}

#[test]
fn six_sheets_with_a_value_in_the_last_column_of_1023_rows() {
    let d = dir();
    let path = at(&d, "右端.xlsx");
    let rows: String = (1..=1023)
        .map(|r| format!(r#"<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>"#))
        .collect();
    let sheet = || text(format!("{SHEET_OPEN}{rows}{SHEET_CLOSE}"));
    let names: Vec<String> = (1..=6)
        .map(|n| format!("xl/worksheets/sheet{n}.xml"))
        .collect();
    let parts = names.iter().map(|n| (n.as_str(), sheet())).collect();
    xlsx(&path, 6, parts);
    assert_refused(&path, "roster_too_large", "1,500,000");
}

#[test]
fn an_ods_cell_of_a_hundred_megabytes() {
    let d = dir();
    let path = at(&d, "長いセル.ods");
    let open = format!(
        r#"{ODS_OPEN}<table:table-row><table:table-cell office:value-type="string"><text:p>"#
    );
    let close = format!("</text:p></table:table-cell></table:table-row>{ODS_CLOSE}");
    ods(&path, repeated(&open, "a", 100 << 20, &close));
    assert_refused(&path, "roster_too_large", "32,767");
}

#[test]
fn an_ods_repeating_ten_million_cells() {
    let d = dir();
    let path = at(&d, "繰り返し.ods");
    ods(
        &path,
        text(format!(
            r#"{ODS_OPEN}<table:table-row table:number-rows-repeated="10000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>山田</text:p></table:table-cell></table:table-row>{ODS_CLOSE}"#
        )),
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 2000);
    assert_refused(&path, "roster_too_large", "1,500,000");
}

#[test]
fn an_ods_whose_empty_cells_repeat_to_the_last_column_is_read() {
    // What LibreOffice writes: trailing empty cells and rows repeated to the
    // edge of the sheet take nothing.
    let d = dir();
    let path = at(&d, "普通.ods");
    let cell = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let row = |a: &str, b: &str| {
        format!(
            r#"<table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row>"#,
            cell(a),
            cell(b)
        )
    };
    ods(
        &path,
        text(format!(
            r#"{ODS_OPEN}{}{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>{ODS_CLOSE}"#,
            row("氏名", "住所"),
            row("山田 太郎", "東京都世田谷区桜新町1-2-3")
        )),
    );
    let m = measure(&path);
    assert_eq!((m.code.as_str(), m.message.as_str()), ("ok", "1 records"));
}

#[test]
fn a_csv_line_of_twenty_megabytes() {
    let d = dir();
    let path = at(&d, "長い行.csv");
    let mut out = std::fs::File::create(&path).unwrap();
    out.write_all("氏名,住所\n".as_bytes()).unwrap();
    repeated("山田", ",x", 10 << 20, "\n")(&mut out);
    assert_refused(&path, "roster_too_large", "1 MB");
}

#[test]
fn a_csv_of_tiny_cells() {
    let d = dir();
    let path = at(&d, "細かい.csv");
    let mut out = std::fs::File::create(&path).unwrap();
    out.write_all("氏名,住所\n".as_bytes()).unwrap();
    repeated("", "a,b,c,d,e,f,g,h\n", 2_000_000, "")(&mut out);
    assert_refused(&path, "roster_too_large", "1,500,000");
}

#[test]
fn a_csv_of_two_hundred_megabytes_and_a_video_of_two_gigabytes() {
    let d = dir();
    for (name, head) in [
        ("大きい.csv", "氏名,住所\n".as_bytes()),
        ("動画.csv", b"\0\0\0\x20ftypisom\0\0\x02\0".as_slice()),
    ] {
        let path = at(&d, name);
        let mut out = std::fs::File::create(&path).unwrap();
        out.write_all(head).unwrap();
        // Sparse: the size is what is refused, before a byte is read.
        out.set_len(if name == "動画.csv" {
            2 << 30
        } else {
            200 << 20
        })
        .unwrap();
        assert_refused(&path, "roster_too_large", "32 MB");
    }
}

#[test]
fn a_small_video_named_csv_is_refused_from_its_first_bytes() {
    let d = dir();
    let path = at(&d, "clip.csv");
    let mut bytes = b"\0\0\0\x20ftypisom\0\0\x02\0".to_vec();
    bytes.extend((0..1_000_000u64).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(&path, bytes).unwrap();
    assert_refused(&path, "roster_corrupt", "動画");
}

#[test]
fn sixteen_thousand_columns_are_answered_quickly() {
    let d = dir();
    let path = at(&d, "横長.csv");
    let header: Vec<String> = ["氏名".to_string(), "住所".to_string()]
        .into_iter()
        .chain((2..16_384).map(|i| format!("項目{i}（備考欄）")))
        .collect();
    let mut csv = header.join(",") + "\n";
    for r in 0..40 {
        let row: Vec<String> = (0..16_384).map(|c| format!("値{r}-{c}")).collect();
        csv += &(row.join(",") + "\n");
    }
    std::fs::write(&path, csv).unwrap();
    // A sheet whose header rows hold more labels than any roster has is
    // refused before its labels are weighed.
    let m = measure(&path);
    assert_eq!(m.code, "roster_too_large", "{}", m.message);
    assert!(m.message.contains("1000列"), "{}", m.message);
    assert!(m.elapsed < SECONDS, "16,384 columns took {:?}", m.elapsed);
    assert!(
        m.peak_kb < PEAK_KB,
        "16,384 columns peaked at {} kB",
        m.peak_kb
    );
}
