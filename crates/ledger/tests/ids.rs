//! Ids on the office's PCs (issue #19), on real ledger files: a PC other
//! than the first gives every new row of every table an id in its own
//! range, whatever the write (by hand, an import, a merge, the sample
//! data), so the copies of the ledger never give two rows one id; the
//! first PC keeps numbering 1, 2, 3 … as it always has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use daicho_ledger::campaigns::CampaignInput;
use daicho_ledger::contacts::{ContactInput, ContactKindInput};
use daicho_ledger::ids::{display, parse_display, DEVICE_BITS};
use daicho_ledger::import::{FileCounts, ImportRecord, RowRef, SavedMapping};
use daicho_ledger::projects::ProjectInput;
use daicho_ledger::requests::{ListEntryInput, RequestClose, RequestInput, RequestList};
use daicho_ledger::segments::{Group, SegmentInput, SegmentKind};
use daicho_ledger::*;
use rusqlite::Connection;

/// Tables whose ids are not this PC's to give, each with why.
const NOT_NUMBERED_HERE: &[(&str, &str)] = &[
    (
        "sync_outbox",
        "this PC's own queue of changes, never sent as rows",
    ),
    ("sync_devices", "its id is the device number the hub gives"),
    (
        "sync_conflicts",
        "written by sync when two PCs meet (held by sync's tests)",
    ),
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn me() -> Actor {
    Actor::user(None)
}

/// A new ledger on a PC numbered `device` (as joining an office sets it),
/// or the first PC's for `None`.
fn ledger_on(dir: &Path, device: Option<i64>) -> (PathBuf, Ledger) {
    let path = dir.join("daicho.sqlite3");
    drop(Ledger::open(&path).unwrap());
    if let Some(device) = device {
        Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO local_settings (key, value) VALUES ('sync_device', ?1)",
                [device.to_string()],
            )
            .unwrap();
    }
    let ledger = Ledger::open(&path).unwrap();
    (path, ledger)
}

/// Every table whose rows are numbered by an `INTEGER PRIMARY KEY` (the
/// rowid), read from the schema so that a new table is not forgotten.
fn numbered_tables(conn: &Connection) -> Vec<String> {
    let sql = "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
               WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
                 AND m.name NOT LIKE 'customer_fts%' AND m.name NOT LIKE 'customer_grams%'
                 AND c.pk = 1 AND upper(c.type) = 'INTEGER'
                 AND (SELECT count(*) FROM pragma_table_info(m.name) k WHERE k.pk > 0) = 1
               ORDER BY m.name";
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn ids_of(path: &Path) -> BTreeMap<String, BTreeSet<i64>> {
    let conn = Connection::open(path).unwrap();
    numbered_tables(&conn)
        .into_iter()
        .map(|table| {
            let ids = conn
                .prepare(&format!("SELECT rowid FROM \"{table}\""))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (table, ids)
        })
        .collect()
}

fn person(family: &str, given: &str, phone: &str) -> CustomerFields {
    CustomerFields {
        family_name: family.into(),
        given_name: given.into(),
        phone: phone.into(),
        postal_code: "150-0001".into(),
        prefecture: "東京都".into(),
        city: "渋谷区".into(),
        address1: "神宮前1-2-3".into(),
        ..Default::default()
    }
}

fn member(name: &str, relation: &str) -> HouseholdMember {
    HouseholdMember {
        id: None,
        name: name.into(),
        kana: String::new(),
        relation: relation.into(),
        birthday: None,
        joint_name: true,
    }
}

fn add(ledger: &mut Ledger, fields: CustomerFields) -> i64 {
    ledger.create_customer(&me(), &fields).unwrap().id
}

/// The office's reference lists: a status, a label, a member of staff, a
/// contact kind, a campaign and after-care's three lists.
fn edit_reference_lists(ledger: &mut Ledger) -> (i64, i64) {
    let status = ledger
        .save_status(&StatusInput {
            id: None,
            name: "再商談".into(),
            stage: Stage::Negotiation,
            dm_allowed: true,
            color: "#888888".into(),
            retired: false,
        })
        .unwrap()
        .id;
    let label = ledger
        .save_label(&LabelInput {
            id: None,
            name: "見学会来場".into(),
            color: "#336699".into(),
        })
        .unwrap()
        .id;
    ledger
        .save_staff(&StaffInput {
            id: None,
            name: "中村 真一".into(),
            kana: "ナカムラ シンイチ".into(),
            active: true,
            role: Role::Admin,
        })
        .unwrap();
    ledger
        .save_contact_kind(&ContactKindInput {
            id: None,
            name: "LINE".into(),
            retired: false,
        })
        .unwrap();
    ledger
        .save_campaign(&CampaignInput {
            id: None,
            name: "秋の見学会".into(),
            kind: "見学会".into(),
            held_on: Some("2026-10-10".into()),
            cost_yen: 50_000,
        })
        .unwrap();
    for (list, name) in [
        (RequestList::Category, "外構"),
        (RequestList::Cause, "施工不良（外構）"),
        (RequestList::Partner, "山田建具店"),
    ] {
        ledger
            .save_request_list_entry(
                list,
                &ListEntryInput {
                    id: None,
                    name: name.into(),
                    retired: false,
                },
            )
            .unwrap();
    }
    (status, label)
}

/// A customer's life: edits, a status move, a household, a label, a
/// contact with a next action, a house handed over (inspections), an
/// after-care request received and closed.
fn live_with(ledger: &mut Ledger, id: i64, status: i64, label: i64) {
    let mut fields = ledger.customer(id).unwrap().fields;
    fields.email = "taro@example.jp".into();
    ledger.update_customer(&me(), id, &fields).unwrap();
    ledger.change_status(&me(), id, status, "", "").unwrap();
    ledger
        .set_household(&me(), id, &[member("山田 花子", "配偶者")])
        .unwrap();
    ledger.set_customer_labels(&me(), id, &[label]).unwrap();
    let kind_id = ledger.contact_kinds().unwrap()[0].id;
    let contact = ContactInput {
        customer_id: id,
        kind_id,
        at: "2026-11-30 10:00".into(),
        note: "来場".into(),
        next_on: Some("2026-12-10".into()),
        next_note: "図面".into(),
    };
    ledger.log_contact(&me(), &contact, today()).unwrap();
    let project = ProjectInput {
        id: None,
        customer_id: id,
        kind: ProjectKind::NewBuild,
        title: "山田様邸 新築工事".into(),
        amount_yen: Some(30_000_000),
        contract_on: Some("2025-01-10".into()),
        start_on: None,
        completion_on: None,
        handover_on: Some("2025-10-01".into()),
    };
    let project = ledger.save_project(&me(), &project).unwrap().project.id;
    let entry = |ledger: &Ledger, list, name| ledger.request_list_entry(list, name).unwrap().id;
    let request = RequestInput {
        customer_id: id,
        project_id: Some(project),
        received_on: "2026-11-30".into(),
        category_id: entry(ledger, RequestList::Category, "外構"),
        complaint: "戸が閉まりにくい".into(),
        partner_id: Some(entry(ledger, RequestList::Partner, "山田建具店")),
        ..Default::default()
    };
    let request = ledger.create_request(&me(), &request, today()).unwrap().id;
    let close = RequestClose {
        cause_id: entry(ledger, RequestList::Cause, "施工不良（外構）"),
        resolution: "調整しました".into(),
        closed_on: Some("2026-12-01".into()),
        ..Default::default()
    };
    ledger
        .close_request(&me(), request, &close, today())
        .unwrap();
}

fn import(ledger: &mut Ledger, file: &str, people: &[(&str, &str, &str)]) -> i64 {
    let records: Vec<ImportRecord> = people
        .iter()
        .enumerate()
        .map(|(i, &(family, given, phone))| ImportRecord {
            origin: vec![RowRef {
                sheet: "名簿".into(),
                row: i as u32 + 2,
            }],
            fields: CustomerFields {
                notes: "名簿より".into(),
                ..person(family, given, phone)
            },
            members: vec![member(&format!("{family} 次郎"), "子")],
            overwrite: Vec::new(),
        })
        .collect();
    let counts = FileCounts {
        rows: records.len() as u32,
        skipped: 0,
        warnings: 0,
    };
    ledger
        .import_records(&me(), file, &records, counts, &mut |_, _| true)
        .unwrap()
        .batch
}

/// Lists, a DM, the export record, a saved mapping, a merge and a sample.
fn select_export_and_merge(ledger: &mut Ledger, a: i64, b: i64) {
    let segment = ledger
        .save_segment(&SegmentInput {
            id: None,
            name: "見学会招待".into(),
            kind: SegmentKind::Static,
            filter: Group::default(),
        })
        .unwrap();
    ledger.set_list_members(segment.id, &[a, b], &[]).unwrap();
    let mailing = dm::MailingRecord {
        campaign: "年賀状".into(),
        campaign_id: None,
        segment: segment.name.clone(),
        format: "xlsx".into(),
        file_name: "年賀状.xlsx".into(),
        rows: 2,
    };
    ledger
        .record_mailing(&me(), &mailing, vec![a, b], || Ok("0".repeat(64)))
        .unwrap();
    let note = ExportNote {
        kind: ExportKind::Report,
        file_name: "月報.xlsx".into(),
        people: 2,
        segment: String::new(),
        sha256: "0".repeat(64),
    };
    ledger.record_export(&note, || Ok(())).unwrap();
    ledger
        .save_mapping(&SavedMapping {
            name: "旧名簿".into(),
            header_signature: "氏名|電話".into(),
            mapping: "{}".into(),
        })
        .unwrap();
    ledger.merge_customers(&me(), a, b, &[]).unwrap();
    ledger.add_sample_data(&me(), 30, 7).unwrap();
}

/// Everything the office does, on whichever PC: reference lists, a
/// customer's whole life, two imports (one undone, one filling in an
/// existing customer), lists, exports, a merge and sample data.
fn office_work(ledger: &mut Ledger) {
    let (status, label) = edit_reference_lists(ledger);
    let yamada = add(ledger, person("山田", "太郎", "03-1111-2222"));
    live_with(ledger, yamada, status, label);
    import(
        ledger,
        "名簿.xlsx",
        &[
            ("山田", "太郎", "03-1111-2222"),
            ("佐藤", "花子", "03-3333-4444"),
            ("鈴木", "一郎", "03-5555-6666"),
        ],
    );
    let undone = import(ledger, "名簿2.xlsx", &[("田中", "三郎", "03-7777-8888")]);
    ledger.undo_import(&me(), undone).unwrap();
    let twin = add(ledger, person("山田", "太郎", "03-1111-2222"));
    select_export_and_merge(ledger, yamada, twin);
}

#[test]
fn every_row_a_pc_writes_has_an_id_in_its_own_range() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut ledger) = ledger_on(dir.path(), Some(5));
    let before = ids_of(&path);

    office_work(&mut ledger);

    let (lo, hi) = (5 << DEVICE_BITS, 6 << DEVICE_BITS);
    let mut unwritten = Vec::new();
    for (table, ids) in ids_of(&path) {
        let new: Vec<i64> = ids.difference(&before[&table]).copied().collect();
        let outside: Vec<&i64> = new.iter().filter(|&&id| id < lo || id >= hi).collect();
        assert!(
            outside.is_empty(),
            "{table}: ids outside PC 5's range: {outside:?}"
        );
        let exempt = NOT_NUMBERED_HERE.iter().any(|(t, _)| *t == table);
        if new.is_empty() && !exempt {
            unwritten.push(table);
        }
    }
    assert!(
        unwritten.is_empty(),
        "no row written in {unwritten:?}: have the test write one, \
         or say in NOT_NUMBERED_HERE why its ids are not this PC's"
    );
    let first = *ids_of(&path)["customers"].first().unwrap();
    assert_eq!(display(first), "5-1");
    assert_eq!(parse_display("5-1"), Some(first));
}

#[test]
fn the_first_pc_numbers_its_rows_one_two_three() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut ledger) = ledger_on(dir.path(), None);

    let by_hand: Vec<i64> = ["一郎", "二郎", "三郎"]
        .into_iter()
        .map(|given| add(&mut ledger, person("高橋", given, "")))
        .collect();
    assert_eq!(by_hand, [1, 2, 3]);
    import(
        &mut ledger,
        "名簿.xlsx",
        &[
            ("佐藤", "花子", "03-3333-4444"),
            ("鈴木", "一郎", "03-5555-6666"),
        ],
    );
    ledger.add_sample_data(&me(), 2, 7).unwrap();
    let customers: Vec<i64> = ids_of(&path)["customers"].iter().copied().collect();
    assert_eq!(customers, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(display(7), "7");

    office_work(&mut ledger);
    for (table, ids) in ids_of(&path) {
        let last = ids.last().copied().unwrap_or(0);
        assert!(last < 1 << DEVICE_BITS, "{table}: {last}");
    }
}
