//! Files the office receives (issue 15, found by adversarial testing): an
//! .xlsx holds values as written (the formula guard is for CSV), a staged
//! file is its owner's only, and what a killed export left beside its
//! destination is removed by the next export to that folder.

use std::path::Path;
use std::time::{Duration, SystemTime};

use calamine::{open_workbook_auto, Data, Reader};
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::segments::Group;
use daicho_ledger::{Actor, CustomerFields, Ledger};
use daicho_mailing::checks::CheckOptions;
use daicho_mailing::disclosure::export_disclosure;
use daicho_mailing::export::{export, ExportRequest};
use daicho_mailing::work_report::export_work_report;
use daicho_mailing::write::{sweep_left_behind, write_list};
use daicho_mailing::{default_columns, FileFormat, ListOptions};

/// Names that start as a spreadsheet formula would, as offices have them.
const LOOKS_LIKE_FORMULAS: [(&str, &str); 3] =
    [("-田中", "一郎"), ("=SUM(A1)", "花子"), ("+81", "@次郎")];

fn ledger(dir: &Path) -> (Ledger, Vec<i64>) {
    let mut ledger = Ledger::open(dir.join("daicho.sqlite3")).unwrap();
    let ids = LOOKS_LIKE_FORMULAS
        .iter()
        .enumerate()
        .map(|(i, (family, given))| {
            let fields = CustomerFields {
                family_name: (*family).into(),
                given_name: (*given).into(),
                postal_code: format!("154-001{i}"),
                prefecture: "東京都".into(),
                city: "世田谷区".into(),
                address1: format!("桜新町1-2-{i}"),
                notes: format!("{family} 様の備考"),
                ..Default::default()
            };
            ledger
                .create_customer(&Actor::user(None), &fields)
                .unwrap()
                .id
        })
        .collect();
    (ledger, ids)
}

fn request(format: FileFormat) -> ExportRequest {
    ExportRequest {
        label: "全顧客".into(),
        filter: Group::default(),
        columns: default_columns(),
        list: ListOptions::default(),
        checks: CheckOptions::default(),
        format,
        campaign: "秋の見学会".into(),
        campaign_id: None,
        print: Default::default(),
    }
}

fn dm(ledger: &mut Ledger, format: FileFormat, out: &Path) {
    export(
        ledger,
        &Actor::user(None),
        &request(format),
        local_today(),
        out,
        false,
        true,
    )
    .unwrap();
}

/// Every text cell of the workbook at `path`.
fn text_cells(path: &Path) -> Vec<String> {
    let mut book = open_workbook_auto(path).unwrap();
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        for cell in book.worksheet_range(&name).unwrap().used_cells() {
            if let (_, _, Data::String(s)) = cell {
                cells.push(s.clone());
            }
        }
    }
    cells
}

fn assert_as_written(cells: &[String], expected: &[String], what: &str) {
    for value in expected {
        assert!(
            cells.iter().any(|c| c == value),
            "{what}: {value} not found as written in {cells:?}"
        );
    }
    assert!(
        !cells.iter().any(|c| c.starts_with('\'')),
        "{what}: no apostrophe in an .xlsx cell: {cells:?}"
    );
}

#[test]
fn xlsx_cells_hold_names_as_written_and_csv_keeps_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, ids) = ledger(dir.path());
    let names: Vec<String> = LOOKS_LIKE_FORMULAS
        .iter()
        .map(|(family, given)| format!("{family} {given}"))
        .collect();

    let xlsx = dir.path().join("dm.xlsx");
    dm(&mut ledger, FileFormat::Xlsx, &xlsx);
    assert_as_written(&text_cells(&xlsx), &names, "DM list");

    let disclosure = dir.path().join("開示.xlsx");
    export_disclosure(
        &mut ledger,
        &Actor::user(None),
        ids[0],
        local_today(),
        &disclosure,
        false,
    )
    .unwrap();
    let expected = ["-田中".to_string(), "-田中 様の備考".to_string()];
    assert_as_written(&text_cells(&disclosure), &expected, "disclosure");

    let kind_id = ledger.contact_kinds().unwrap()[0].id;
    let today = local_today();
    let contact = ContactInput {
        customer_id: ids[0],
        kind_id,
        at: format!("{today} 10:00"),
        note: "-不在、また電話".into(),
        next_on: None,
        next_note: String::new(),
    };
    ledger
        .log_contact(&Actor::user(None), &contact, today)
        .unwrap();
    let report = dir.path().join("日報.xlsx");
    let day = today.to_string();
    export_work_report(&mut ledger, &day, &day, &report, false).unwrap();
    let expected = ["-不在、また電話".to_string(), "-田中 一郎".to_string()];
    assert_as_written(&text_cells(&report), &expected, "work report");

    // A CSV field is evaluated by a spreadsheet: the guard stays there.
    let csv = dir.path().join("dm.csv");
    dm(&mut ledger, FileFormat::CsvUtf8, &csv);
    let text = std::fs::read_to_string(&csv).unwrap();
    for name in &names {
        assert!(text.contains(&format!("'{name}")), "{name} in {text}");
    }
}

#[cfg(unix)]
#[test]
fn a_staged_file_is_its_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("dm.csv");
    let columns = default_columns();
    let row: Vec<String> = columns.iter().map(|_| "山田".to_string()).collect();
    for format in [FileFormat::CsvCp932, FileFormat::Xlsx] {
        let (staged, _) = write_list(
            &dest,
            &columns,
            format,
            &Default::default(),
            true,
            std::iter::once(row.clone()),
        )
        .unwrap();
        let partial = dir.path().join(".dm.csv.partial");
        let mode = std::fs::metadata(&partial).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{format:?}: names and addresses, staged");
        drop(staged);
        assert!(!partial.exists(), "dropped before it was put in place");
    }
}

/// A file as a killed export leaves it, last written `age` ago.
fn left_behind(dir: &Path, name: &str, age: Duration) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, "山田 太郎,東京都世田谷区桜新町1-2-3\r\n").unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
    path
}

#[test]
fn what_a_killed_export_left_goes_with_the_next_export_to_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let hour = Duration::from_secs(3600);
    let stale = [
        left_behind(&out, ".秋DM.xlsx.partial", hour),
        left_behind(&out, ".春DM.csv.previous", hour),
    ];
    // Another export may be writing this one right now.
    let fresh = left_behind(&out, ".冬DM.csv.partial", Duration::ZERO);
    // Files of the office's own that only look alike stay.
    let own = [
        left_behind(&out, "見積.partial", hour),
        left_behind(&out, ".名簿.xlsx", hour),
    ];

    dm(&mut ledger, FileFormat::CsvCp932, &out.join("夏DM.csv"));
    for path in &stale {
        assert!(!path.exists(), "{} was left", path.display());
    }
    assert!(fresh.exists() && own.iter().all(|p| p.exists()));

    // The app's start-up sweep over a folder it exports to: the same rule.
    let again = left_behind(&out, ".秋DM.xlsx.partial", hour);
    sweep_left_behind(&out);
    assert!(!again.exists() && fresh.exists());
}
