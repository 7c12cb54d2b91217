//! The disclosure workbook (開示) from a real ledger, read back with calamine:
//! every part of what is held about the person is in it, and the disclosure
//! is in their history.

use calamine::{open_workbook_auto, Data, Reader};
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::dm::MailingRecord;
use daicho_ledger::projects::ProjectInput;
use daicho_ledger::segments::{Group, SegmentInput, SegmentKind};
use daicho_ledger::*;
use daicho_mailing::disclosure::{export_disclosure, SHEETS};

fn cells(
    book: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
    sheet: &str,
) -> Vec<String> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// A customer with something in every part the workbook has: a household
/// member, a contact and its next action, a project, a label, a static list
/// and a mailing. Returns the customer's id and the label.
fn customer_with_everything(ledger: &mut Ledger, me: &Actor) -> (i64, Label) {
    let id = ledger
        .create_customer(
            me,
            &CustomerFields {
                family_name: "開示".into(),
                given_name: "花子".into(),
                mobile: "090-3141-5926".into(),
                notes: "=1+1".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let member = HouseholdMember {
        id: None,
        name: "開示 一郎".into(),
        kana: String::new(),
        relation: "夫".into(),
        birthday: None,
        joint_name: true,
    };
    ledger.set_household(me, id, &[member]).unwrap();
    let today = local_today();
    let kind_id = ledger.contact_kinds().unwrap()[0].id;
    ledger
        .log_contact(
            me,
            &ContactInput {
                customer_id: id,
                kind_id,
                at: format!("{today} 10:00"),
                note: "間取りのご相談".into(),
                next_on: Some(today.to_string()),
                next_note: "資料を送る".into(),
            },
            today,
        )
        .unwrap();
    ledger
        .save_project(
            me,
            &ProjectInput {
                id: None,
                customer_id: id,
                kind: ProjectKind::Renovation,
                title: "浴室リフォーム".into(),
                amount_yen: Some(1_200_000),
                contract_on: None,
                start_on: None,
                completion_on: None,
                handover_on: None,
            },
        )
        .unwrap();
    let label = ledger.labels().unwrap()[0].clone();
    ledger.set_customer_labels(me, id, &[label.id]).unwrap();
    let list = ledger
        .save_segment(&SegmentInput {
            id: None,
            name: "見学会招待".into(),
            kind: SegmentKind::Static,
            filter: Group::default(),
        })
        .unwrap();
    ledger.set_list_members(list.id, &[id], &[]).unwrap();
    let mailing = MailingRecord {
        campaign: "春の見学会".into(),
        campaign_id: None,
        segment: "全顧客 {}".into(),
        format: "xlsx".into(),
        file_name: "dm.xlsx".into(),
        rows: 1,
    };
    ledger
        .record_mailing(me, &mailing, vec![id], || Ok("0".into()))
        .unwrap();
    (id, label)
}

#[test]
fn every_part_is_in_the_workbook_and_the_disclosure_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let me = Actor::user(None);
    let (id, label) = customer_with_everything(&mut ledger, &me);

    let out = dir.path().join("開示.xlsx");
    export_disclosure(&mut ledger, &me, id, local_today(), &out, false).unwrap();
    let again = export_disclosure(&mut ledger, &me, id, local_today(), &out, false).unwrap_err();
    assert_eq!(
        again.code(),
        "file_exists",
        "an existing file is kept unless replacing"
    );

    let mut book = open_workbook_auto(&out).unwrap();
    assert_eq!(book.sheet_names(), SHEETS.map(String::from).to_vec());
    let expect = [
        ("基本情報", "090-3141-5926"),
        // An .xlsx text cell is never evaluated: shown as the person wrote it.
        ("基本情報", "=1+1"),
        ("家族", "開示 一郎"),
        ("対応履歴", "間取りのご相談"),
        ("案件", "浴室リフォーム"),
        ("次回対応・点検", "資料を送る"),
        ("ラベル・リスト", label.name.as_str()),
        ("ラベル・リスト", "見学会招待"),
        ("DM送付", "春の見学会"),
        ("変更履歴", "家族"),
    ];
    for (sheet, text) in expect {
        assert!(
            cells(&mut book, sheet).iter().any(|c| c == text),
            "{sheet} lacks {text}"
        );
    }
    let history = ledger.customer_history(id).unwrap();
    let disclosed: Vec<_> = history.iter().filter(|h| h.field == "disclosed").collect();
    assert_eq!(disclosed.len(), 1, "a refused export records nothing");
    assert_eq!(disclosed[0].new_value.as_deref(), Some("開示.xlsx"));
}
