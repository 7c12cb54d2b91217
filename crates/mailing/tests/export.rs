//! DM exports from real ledgers, read back with a real spreadsheet reader.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use daicho_ledger::contacts::local_today;
use daicho_ledger::dm::Exclusion;
use daicho_ledger::segments::{Condition, Group, Part};
use daicho_ledger::{Actor, Coded, CustomerFields, HistoryKind, Ledger};
use daicho_mailing::checks::{CheckOptions, Problem};
use daicho_mailing::export::{export, prepare, ExportError, ExportRequest};
use daicho_mailing::{default_columns, FileFormat, ListOptions};

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

fn person(family: &str, given: &str, postal: &str, address1: &str) -> CustomerFields {
    CustomerFields {
        family_name: family.into(),
        given_name: given.into(),
        postal_code: postal.into(),
        prefecture: "東京都".into(),
        city: "世田谷区".into(),
        address1: address1.into(),
        ..Default::default()
    }
}

/// A small ledger with one of everything a DM list must handle.
fn ledger(dir: &Path) -> (Ledger, Vec<i64>) {
    let mut ledger = Ledger::open(dir.join("daicho.sqlite3")).unwrap();
    let me = Actor::user(None);
    let stop = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "停止")
        .unwrap()
        .id;
    let mut ids = Vec::new();
    let mut add = |l: &mut Ledger, f: CustomerFields| {
        let id = l.create_customer(&me, &f).unwrap().id;
        ids.push(id);
        id
    };
    add(
        &mut ledger,
        person("山田", "太郎", "154-0015", "桜新町1-2-3"),
    );
    add(
        &mut ledger,
        person("山田", "花子", "154-0015", "桜新町１－２－３"),
    );
    add(
        &mut ledger,
        person("=SUM(A1)", "@cmd", "060-0001", "北一条西1-1"),
    );
    add(
        &mut ledger,
        CustomerFields {
            company: "株式会社髙橋工務店".into(),
            honorific: daicho_ledger::Honorific::Onchu,
            ..person("髙橋", "", "100-0001", "千代田1-1")
        },
    );
    add(
        &mut ledger,
        person("𠮷田", "一郎", "100-0002", "皇居外苑1-1"),
    );
    add(
        &mut ledger,
        CustomerFields {
            dm_opt_out: true,
            ..person("不要", "一", "100-0003", "1-1")
        },
    );
    add(
        &mut ledger,
        CustomerFields {
            status_id: Some(stop),
            ..person("停止", "二", "100-0004", "1-1")
        },
    );
    add(
        &mut ledger,
        CustomerFields {
            mail_returned_reason: "あて所に尋ねあたりません".into(),
            ..person("返戻", "三", "100-0005", "1-1")
        },
    );
    add(
        &mut ledger,
        CustomerFields {
            moved: true,
            ..person("転居", "四", "100-0006", "1-1")
        },
    );
    add(&mut ledger, person("住所", "なし", "", ""));
    (ledger, ids)
}

fn cell(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not a text cell: {other:?}"),
    }
}

#[test]
fn xlsx_for_the_printer_reads_back_as_text_in_postal_order() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, ids) = ledger(dir.path());
    let out = dir.path().join("dm.xlsx");
    let outcome = export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::Xlsx),
        local_today(),
        &out,
        false,
        true,
    )
    .unwrap();
    assert_eq!((outcome.rows, outcome.households_merged), (4, 1));
    let excluded: Vec<(Exclusion, u32)> = outcome.excluded.clone();
    assert_eq!(
        excluded,
        vec![
            (Exclusion::OptOut, 1),
            (Exclusion::StatusForbids, 1),
            (Exclusion::MailReturned, 1),
            (Exclusion::DeceasedOrMoved, 1),
            (Exclusion::NoUsableAddress, 1)
        ]
    );
    let mut book = open_workbook_auto(&out).unwrap();
    let range = book.worksheet_range("DM").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(
        rows[0],
        [
            "郵便番号",
            "住所1",
            "住所2",
            "会社名",
            "部署",
            "氏名",
            "連名",
            "敬称"
        ]
    );
    let postal: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        postal,
        ["060-0001", "100-0001", "100-0002", "154-0015"],
        "postal codes as text, zero kept, in order"
    );
    assert_eq!(
        rows[1][5], "=SUM(A1) @cmd",
        "a name that looks like a formula is a text cell, written as it is"
    );
    assert_eq!(&rows[2][3..], ["株式会社髙橋工務店", "", "", "", "御中"]);
    assert_eq!(&rows[4][5..], ["山田 太郎", "花子", "様"]);
    assert!(
        rows.iter().all(|r| r.len() == 8),
        "no internal field leaks into the file"
    );
    // The export is on each recipient's history, and recorded with its hash.
    let history = ledger.customer_history(ids[1]).unwrap();
    assert!(history
        .iter()
        .any(|h| h.kind == HistoryKind::Mailing && h.note == "秋の見学会"));
    let mailing = &ledger.mailings().unwrap()[0];
    assert_eq!(mailing.sha256, outcome.sha256);
    assert_eq!(mailing.record.rows, 4);
}

#[test]
fn cp932_csv_lists_what_it_cannot_hold_until_approved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let out = dir.path().join("dm.csv");
    let err = export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::CsvCp932),
        local_today(),
        &out,
        false,
        false,
    )
    .unwrap_err();
    let ExportError::NeedsApproval(problems) = &err else {
        panic!("{err}")
    };
    assert!(
        problems.iter().any(|p| p.value.contains('𠮷')),
        "{problems:?}"
    );
    assert!(problems.iter().any(
        |p| matches!(&p.problem, Problem::NotInCp932 { replacement, .. } if replacement == "吉")
    ));
    // The test ledger puts 千代田区's postal codes in 世田谷区: Japan Post's data says so.
    let mismatch = |p: &&Problem| matches!(p, Problem::PostalMismatch { expected } if expected == "東京都千代田区");
    assert!(
        problems.iter().map(|p| &p.problem).any(|p| mismatch(&p)),
        "{problems:?}"
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.value.contains("154-0015")
                && matches!(p.problem, Problem::PostalMismatch { .. })),
        "桜新町 is where 154-0015 is"
    );
    assert!(!out.exists(), "nothing written before approval");
    export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::CsvCp932),
        local_today(),
        &out,
        false,
        true,
    )
    .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert!(
        text.contains("吉田 一郎") && text.contains("髙橋"),
        "{text}"
    );
    assert!(text.contains("'=SUM(A1)"));
    assert!(text.starts_with("郵便番号,住所1"));
}

#[test]
fn utf8_csv_has_a_bom_and_defused_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let out = dir.path().join("dm-utf8.csv");
    export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::CsvUtf8),
        local_today(),
        &out,
        false,
        true,
    )
    .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("'=SUM(A1) @cmd"));
    assert!(text.contains("𠮷田 一郎"), "UTF-8 keeps every character");
}

#[test]
fn refusals_leave_files_and_ledger_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let existing = dir.path().join("keep.xlsx");
    std::fs::write(&existing, b"the printer's copy").unwrap();
    let err = export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::Xlsx),
        local_today(),
        &existing,
        false,
        true,
    )
    .unwrap_err();
    assert_eq!(err.code(), "file_exists");
    assert_eq!(std::fs::read(&existing).unwrap(), b"the printer's copy");
    let nowhere = dir.path().join("missing").join("dm.xlsx");
    assert_eq!(
        export(
            &mut ledger,
            &Actor::user(None),
            &request(FileFormat::Xlsx),
            local_today(),
            &nowhere,
            false,
            true
        )
        .unwrap_err()
        .code(),
        "write_failed"
    );
    let nobody = ExportRequest {
        filter: Group {
            all: true,
            parts: vec![Part::Condition {
                condition: Condition::PrefectureIn {
                    names: vec!["沖縄県".into()],
                },
            }],
        },
        ..request(FileFormat::Xlsx)
    };
    let out = dir.path().join("empty.xlsx");
    assert_eq!(
        export(
            &mut ledger,
            &Actor::user(None),
            &nobody,
            local_today(),
            &out,
            false,
            true
        )
        .unwrap_err()
        .code(),
        "empty_list"
    );
    assert!(!out.exists());
    assert!(
        ledger.mailings().unwrap().is_empty(),
        "no mailing recorded for refused exports"
    );
}

/// Another program holds the ledger's write lock while a list is exported
/// over last month's file: the export is refused with a message that says
/// so, the old file is untouched, no temporary file is left, and nothing is
/// recorded. Once the lock is gone the same export goes through.
#[test]
fn a_locked_ledger_leaves_the_old_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let existing = dir.path().join("dm.xlsx");
    std::fs::write(&existing, b"last month's list").unwrap();
    let other = rusqlite::Connection::open(dir.path().join("daicho.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::Xlsx),
        local_today(),
        &existing,
        true,
        true,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ledger_locked", "{err}");
    assert!(err.to_string().contains("他のプログラムが使用中"), "{err}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"last month's list");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dm.xlsx"))
        .collect();
    assert_eq!(names, ["dm.xlsx"], "no temporary or previous copy left");
    other.execute_batch("ROLLBACK").unwrap();
    assert!(ledger.mailings().unwrap().is_empty());

    let done = export(
        &mut ledger,
        &Actor::user(None),
        &request(FileFormat::Xlsx),
        local_today(),
        &existing,
        true,
        true,
    )
    .unwrap();
    assert!(done.rows > 0);
    assert_ne!(std::fs::read(&existing).unwrap(), b"last month's list");
    assert_eq!(ledger.mailings().unwrap().len(), 1);
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".dm.xlsx"))
            .count(),
        0
    );
}

#[test]
fn returned_mail_is_left_out_until_the_address_is_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, ids) = ledger(dir.path());
    let taro = ids[0];
    ledger
        .mark_returned(
            &Actor::user(None),
            taro,
            "あて所に尋ねあたりません",
            "2026-11-20",
        )
        .unwrap();
    let prepared = prepare(&ledger, &request(FileFormat::Xlsx), local_today()).unwrap();
    assert!(prepared
        .excluded
        .iter()
        .any(|p| p.customer_id == taro && p.reason == Exclusion::MailReturned));
    let mut fields = ledger.customer(taro).unwrap().fields;
    fields.address1 = "桜新町2-3-4".into();
    ledger
        .update_customer(&Actor::user(None), taro, &fields)
        .unwrap();
    let prepared = prepare(&ledger, &request(FileFormat::Xlsx), local_today()).unwrap();
    assert!(prepared.excluded.iter().all(|p| p.customer_id != taro));
    assert!(prepared
        .preview
        .iter()
        .any(|cells| cells.iter().any(|c| c.contains("桜新町2-3-4"))));
}

#[test]
fn no_segment_overrides_an_exclusion() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, _) = ledger(dir.path());
    let stopped = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "停止")
        .unwrap();
    let only_stopped = ExportRequest {
        filter: Group {
            all: true,
            parts: vec![Part::Condition {
                condition: Condition::StatusIn {
                    ids: vec![stopped.id],
                },
            }],
        },
        ..request(FileFormat::Xlsx)
    };
    let prepared = prepare(&ledger, &only_stopped, local_today()).unwrap();
    assert_eq!(prepared.rows, 0);
    assert_eq!(prepared.excluded.len(), 1);
}

/// Every fixture roster, imported, gives exactly the DM rows its truth file says.
#[test]
fn fixture_rosters_give_their_dm_list_rows() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rosters");
    for file in [
        "roster_basic.xlsx",
        "roster_messy.xlsx",
        "roster_fude_sjis.csv",
        "roster_legacy.xls",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
        daicho_roster::session::import_file(
            &mut ledger,
            &Actor::system(),
            &fixtures.join(file),
            Default::default(),
            None,
        )
        .unwrap();
        let truth: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures.join("truth").join(format!("{file}.json"))).unwrap(),
        )
        .unwrap();
        let prepared = prepare(&ledger, &request(FileFormat::Xlsx), local_today()).unwrap();
        assert_eq!(
            u64::from(prepared.rows),
            truth["dm_list_rows"].as_u64().unwrap(),
            "{file}"
        );
    }
}

#[test]
fn templates_choose_columns_order_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, _) = ledger(dir.path());
    let columns = vec![
        daicho_mailing::Column {
            field: daicho_mailing::DmField::Name,
            header: "お名前".into(),
        },
        daicho_mailing::Column {
            field: daicho_mailing::DmField::PostalCode,
            header: "〒".into(),
        },
        daicho_mailing::Column {
            field: daicho_mailing::DmField::AddressNumber,
            header: "バーコード用".into(),
        },
    ];
    let template = daicho_mailing::templates::Template {
        name: "バーコード付".into(),
        columns: columns.clone(),
    };
    daicho_mailing::templates::save_template(&mut ledger, &template).unwrap();
    let loaded = daicho_mailing::templates::template_named(&ledger, "バーコード付")
        .unwrap()
        .unwrap();
    assert_eq!(loaded.columns, columns);
    let out = dir.path().join("barcode.xlsx");
    export(
        &mut ledger,
        &Actor::user(None),
        &ExportRequest {
            columns: loaded.columns,
            ..request(FileFormat::Xlsx)
        },
        local_today(),
        &out,
        false,
        true,
    )
    .unwrap();
    let mut book = open_workbook_auto(&out).unwrap();
    let range = book.worksheet_range("DM").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(rows[0], ["お名前", "〒", "バーコード用"]);
    let taro = rows.iter().find(|r| r[0] == "山田 太郎").unwrap();
    assert_eq!(taro[2], "1-2-3");
    let empty = daicho_mailing::templates::Template {
        name: "空".into(),
        columns: vec![],
    };
    assert_eq!(
        daicho_mailing::templates::save_template(&mut ledger, &empty)
            .unwrap_err()
            .code(),
        "invalid"
    );
    let mut checks = daicho_mailing::templates::check_options(&ledger).unwrap();
    assert_eq!(checks.banned_words, ["要注意", "クレーム", "様様"]);
    checks.banned_words.push("山田".into());
    daicho_mailing::templates::save_check_options(&mut ledger, &checks).unwrap();
    let prepared = prepare(
        &ledger,
        &ExportRequest {
            checks: daicho_mailing::templates::check_options(&ledger).unwrap(),
            ..request(FileFormat::Xlsx)
        },
        local_today(),
    )
    .unwrap();
    assert!(prepared
        .problems
        .iter()
        .any(|p| matches!(&p.problem, Problem::BannedWord { word } if word == "山田")));
}

/// More rows than travel between the export's threads at once: every
/// household arrives, in order, and every recipient is recorded.
#[test]
fn a_long_list_streams_whole_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let customers = ledger.add_sample_data(&Actor::system(), 1500, 7).unwrap();
    let mut columns = default_columns();
    columns.push(daicho_mailing::Column {
        field: daicho_mailing::DmField::Kana,
        header: "フリガナ".into(),
    });
    for order in [
        daicho_mailing::Order::PostalCode,
        daicho_mailing::Order::Kana,
    ] {
        let request = ExportRequest {
            columns: columns.clone(),
            list: ListOptions {
                order,
                ..Default::default()
            },
            ..request(FileFormat::Xlsx)
        };
        let prepared = prepare(&ledger, &request, local_today()).unwrap();
        assert!(prepared.rows > 1100, "{}", prepared.rows);
        let dest = dir.path().join(format!("{order:?}.xlsx"));
        let outcome = export(
            &mut ledger,
            &Actor::system(),
            &request,
            local_today(),
            &dest,
            false,
            true,
        )
        .unwrap();
        assert_eq!(outcome.rows, prepared.rows);
        assert_eq!(outcome.households_merged, prepared.households_merged);

        let mut book = open_workbook_auto(&dest).unwrap();
        let range = book.worksheet_range("DM").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .skip(1)
            .map(|r| r.iter().map(cell).collect())
            .collect();
        assert_eq!(rows.len() as u32, prepared.rows);
        let key = |r: &Vec<String>| match order {
            daicho_mailing::Order::PostalCode => (r[0].clone(), r[8].replace(' ', "")),
            _ => (r[8].replace(' ', ""), r[0].clone()),
        };
        assert!(
            rows.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
            "{order:?} order"
        );

        let db = rusqlite::Connection::open(dir.path().join("daicho.sqlite3")).unwrap();
        let recorded: u32 = db
            .query_row(
                "SELECT count(*) FROM mailing_recipients WHERE mailing_id = ?1",
                [outcome.mailing_id],
                |r| r.get(0),
            )
            .unwrap();
        let excluded: u32 = prepared.excluded.len() as u32;
        assert_eq!(recorded, customers - excluded);
        assert_eq!(recorded, prepared.rows + prepared.households_merged);
    }
}

#[test]
fn no_dm_column_carries_a_birthday_or_a_confidential_note() {
    use daicho_mailing::{Column, DmField};
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let fields = CustomerFields {
        birthday: Some("1980-04-01".into()),
        confidential_notes: "値引きの約束あり".into(),
        notes: "備考は載らない".into(),
        ..person("山田", "太郎", "154-0015", "桜新町1-2-3")
    };
    ledger.create_customer(&Actor::user(None), &fields).unwrap();
    let every = [
        DmField::PostalCode,
        DmField::Address1,
        DmField::Address2,
        DmField::Company,
        DmField::Department,
        DmField::Name,
        DmField::JointNames,
        DmField::Honorific,
        DmField::Kana,
        DmField::AddressNumber,
        DmField::Phone,
        DmField::Staff,
        DmField::Status,
        DmField::Grade,
    ];
    let columns: Vec<Column> = every
        .into_iter()
        .map(|field| Column {
            field,
            header: format!("{field:?}"),
        })
        .collect();
    let request = ExportRequest {
        columns,
        ..request(FileFormat::CsvUtf8)
    };
    let out = dir.path().join("dm.csv");
    let me = Actor::user(None);
    export(&mut ledger, &me, &request, local_today(), &out, false, true).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("山田"), "{text}");
    for hidden in ["1980", "値引き", "備考"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
}
