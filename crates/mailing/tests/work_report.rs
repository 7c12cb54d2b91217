//! The work report (日報 / 月報) from a real ledger, read back with calamine.

use calamine::{open_workbook_auto, Data, Reader};
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::{Actor, CustomerFields, Ledger};
use daicho_mailing::work_report::export_work_report;

#[test]
fn daily_lines_and_monthly_counts_per_staff_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let me = Actor::user(None);
    let id = ledger
        .create_customer(
            &me,
            &CustomerFields {
                family_name: "日報".into(),
                given_name: "太郎".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let kinds = ledger.contact_kinds().unwrap();
    let today = local_today();
    for (kind, note) in [
        ("電話", "=HYPERLINK(\"http://x\")"),
        ("来場", "モデルハウスにご来場"),
        ("電話", "資金計画"),
    ] {
        let kind_id = kinds.iter().find(|k| k.name == kind).unwrap().id;
        let input = ContactInput {
            customer_id: id,
            kind_id,
            at: format!("{today} 09:30"),
            note: note.into(),
            next_on: None,
            next_note: String::new(),
        };
        ledger.log_contact(&me, &input, today).unwrap();
    }
    let names: Vec<String> = kinds.iter().map(|k| k.name.clone()).collect();
    let out = dir.path().join("日報.xlsx");
    let day = today.to_string();
    export_work_report(&mut ledger, &day, &day, &out, false).unwrap();
    assert!(
        export_work_report(&mut ledger, &day, &day, &out, false).is_err(),
        "an existing file is kept unless replacing"
    );

    let mut book = open_workbook_auto(&out).unwrap();
    let daily = book.worksheet_range("日報").unwrap();
    assert_eq!(daily.height(), 4);
    assert_eq!(daily.get((1, 4)), Some(&Data::String("日報 太郎".into())));
    assert_eq!(
        daily.get((1, 6)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into())),
        "a note stays text"
    );
    let monthly = book.worksheet_range("月報").unwrap();
    let phone_col = 2 + names.iter().position(|n| n == "電話").unwrap();
    assert_eq!(
        monthly.get((1, 1)),
        Some(&Data::String("（担当なし）".into()))
    );
    assert_eq!(monthly.get((1, phone_col)), Some(&Data::Float(2.0)));
    assert_eq!(monthly.get((1, 2 + names.len())), Some(&Data::Float(3.0)));
}
