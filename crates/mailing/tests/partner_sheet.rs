//! A partner's sheet of open after-care requests from a real ledger, read
//! back with calamine.

use calamine::{open_workbook_auto, Data, Range, Reader};
use chrono::NaiveDate;
use daicho_ledger::requests::{ListEntryInput, RequestClose, RequestInput, RequestList};
use daicho_ledger::{Actor, CustomerFields, Ledger};
use daicho_mailing::partner_sheet::export_partner_sheet;

/// The text of a cell; anything else (a number, a formula, nothing) is None.
fn text(sheet: &Range<Data>, row: u32, col: u32) -> Option<&str> {
    match sheet.get((row as usize, col as usize)) {
        Some(Data::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// A ledger with one owner and three requests: two for 山田工務店 (one of
/// them done) and one for another partner.
fn ledger_with_requests(db: &std::path::Path, today: NaiveDate) -> Ledger {
    let mut ledger = Ledger::open(db).unwrap();
    let me = Actor::user(None);
    let owner = CustomerFields {
        family_name: "佐藤".into(),
        given_name: "花子".into(),
        prefecture: "東京都".into(),
        city: "町田市".into(),
        address1: "原町田1-2-3".into(),
        address2: "コーポ101".into(),
        phone: "042-111-2222".into(),
        ..Default::default()
    };
    let customer_id = ledger.create_customer(&me, &owner).unwrap().id;
    for name in ["山田工務店", "鈴木設備"] {
        let entry = ListEntryInput {
            id: None,
            name: name.into(),
            retired: false,
        };
        ledger
            .save_request_list_entry(RequestList::Partner, &entry)
            .unwrap();
    }
    let entry = |list, name| ledger.request_list_entry(list, name).unwrap().id;
    let leak = entry(RequestList::Category, "雨漏り");
    let (yamada, suzuki) = (
        entry(RequestList::Partner, "山田工務店"),
        entry(RequestList::Partner, "鈴木設備"),
    );
    let cause = entry(RequestList::Cause, "施工");
    for (partner, complaint) in [
        (yamada, "=HYPERLINK(\"http://x\")"),
        (yamada, "天井にしみ"),
        (suzuki, "給湯器が動かない"),
    ] {
        let input = RequestInput {
            customer_id,
            received_on: today.to_string(),
            category_id: leak,
            complaint: complaint.into(),
            due_on: Some("2026-12-20".into()),
            partner_id: Some(partner),
            ..RequestInput::default()
        };
        let request = ledger.create_request(&me, &input, today).unwrap();
        if complaint == "天井にしみ" {
            let close = RequestClose {
                cause_id: cause,
                resolution: "シーリング打ち替え".into(),
                ..RequestClose::default()
            };
            ledger
                .close_request(&me, request.id, &close, today)
                .unwrap();
        }
    }
    ledger
}

#[test]
fn a_partner_gets_only_its_open_requests_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut ledger = ledger_with_requests(&dir.path().join("daicho.sqlite3"), today);
    let yamada = ledger
        .request_list_entry(RequestList::Partner, "山田工務店")
        .unwrap();
    let out = dir.path().join("山田工務店.xlsx");
    assert_eq!(
        export_partner_sheet(&mut ledger, &yamada, today, &out, false).unwrap(),
        1
    );
    assert!(
        export_partner_sheet(&mut ledger, &yamada, today, &out, false).is_err(),
        "an existing file is kept unless replacing"
    );
    assert_eq!(
        export_partner_sheet(&mut ledger, &yamada, today, &out, true).unwrap(),
        1
    );

    let mut book = open_workbook_auto(&out).unwrap();
    let sheet = book.worksheet_range("アフター依頼").unwrap();
    assert_eq!(sheet.height(), 3, "title, column titles, one request");
    assert_eq!(
        text(&sheet, 0, 0),
        Some("山田工務店 御中　未完了のアフター依頼（2026年12月1日 現在）")
    );
    let header: Vec<_> = (0..8).map(|c| text(&sheet, 1, c)).collect();
    let expected = [
        "受付日",
        "お客様",
        "住所",
        "電話",
        "種類",
        "お申し出の内容",
        "期日",
        "担当",
    ];
    assert_eq!(header, expected.map(Some));
    assert_eq!(text(&sheet, 2, 0), Some("2026-12-01"));
    assert_eq!(text(&sheet, 2, 1), Some("佐藤 花子"));
    assert_eq!(
        text(&sheet, 2, 2),
        Some("東京都町田市原町田1-2-3 コーポ101")
    );
    assert_eq!(text(&sheet, 2, 3), Some("042-111-2222"));
    assert_eq!(text(&sheet, 2, 4), Some("雨漏り"));
    assert_eq!(
        text(&sheet, 2, 5),
        Some("=HYPERLINK(\"http://x\")"),
        "what the owner said stays text"
    );
    assert_eq!(text(&sheet, 2, 6), Some("2026-12-20"));
}
