//! Duplicates already in the ledger: finding the candidate pairs, merging
//! two records and undoing the merge, on real SQLite files.

use chrono::NaiveDate;
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::import::MatchKind;
use daicho_ledger::merge::{FieldPick, Pick};
use daicho_ledger::projects::ProjectInput;
use daicho_ledger::*;
use rusqlite::types::Value;

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn person(family: &str, given: &str) -> CustomerFields {
    CustomerFields {
        family_name: family.into(),
        given_name: given.into(),
        ..Default::default()
    }
}

fn add(ledger: &mut Ledger, fields: CustomerFields) -> i64 {
    ledger
        .create_customer(&Actor::user(None), &fields)
        .unwrap()
        .id
}

fn pairs(ledger: &Ledger) -> Vec<(i64, i64, Vec<MatchKind>)> {
    ledger
        .duplicate_candidates()
        .unwrap()
        .into_iter()
        .map(|p| (p.a.id, p.b.id, p.reasons))
        .collect()
}

#[test]
fn same_name_and_phone_address_or_email_are_candidates_with_their_reason() {
    let (_dir, mut ledger) = open_temp();
    let phone = add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            ..person("山田", "太郎")
        },
    );
    // Widths, a space and the number in the other field: still one person.
    let phone2 = add(
        &mut ledger,
        CustomerFields {
            mobile: "０３１２３４５６７８".into(),
            ..person("山田", " 太郎")
        },
    );
    let at = |address1: &str| CustomerFields {
        postal_code: "154-0015".into(),
        prefecture: "東京都".into(),
        city: "世田谷区".into(),
        address1: address1.into(),
        ..person("佐藤", "花子")
    };
    let home = add(&mut ledger, at("桜新町1-2-3"));
    let home2 = add(&mut ledger, at("桜新町１－２－３"));
    let mail = add(
        &mut ledger,
        CustomerFields {
            email: "Kato@Example.jp".into(),
            ..person("加藤", "一")
        },
    );
    // One e-mail address, two names (a married name): still a candidate.
    let mail2 = add(
        &mut ledger,
        CustomerFields {
            email: "kato@example.jp".into(),
            ..person("佐々木", "一")
        },
    );
    assert_eq!(
        pairs(&ledger),
        [
            (phone, phone2, vec![MatchKind::NamePhone]),
            (home, home2, vec![MatchKind::NameAddress]),
            (mail, mail2, vec![MatchKind::Email]),
        ]
    );
}

#[test]
fn the_same_name_alone_is_never_a_candidate() {
    let (_dir, mut ledger) = open_temp();
    add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            ..person("山田", "太郎")
        },
    );
    add(
        &mut ledger,
        CustomerFields {
            phone: "03-8765-4321".into(),
            ..person("山田", "太郎")
        },
    );
    add(&mut ledger, person("山田", "太郎"));
    // The same block numbers written another way are another address.
    add(
        &mut ledger,
        CustomerFields {
            address1: "日吉1-23".into(),
            ..person("山田", "太郎")
        },
    );
    add(
        &mut ledger,
        CustomerFields {
            address1: "日吉12-3".into(),
            ..person("山田", "太郎")
        },
    );
    // Same phone, another person (a family's house phone).
    add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            ..person("山田", "花子")
        },
    );
    assert_eq!(pairs(&ledger), []);
}

#[test]
fn a_pair_sharing_several_keys_is_listed_once_with_every_reason() {
    let (_dir, mut ledger) = open_temp();
    let f = CustomerFields {
        phone: "03-1234-5678".into(),
        mobile: "03-1234-5678".into(),
        address1: "桜新町1-2-3".into(),
        email: "taro@example.jp".into(),
        ..person("山田", "太郎")
    };
    let a = add(&mut ledger, f.clone());
    let b = add(&mut ledger, f.clone());
    let c = add(
        &mut ledger,
        CustomerFields {
            email: String::new(),
            address1: String::new(),
            ..f
        },
    );
    let every = vec![
        MatchKind::NamePhone,
        MatchKind::NameAddress,
        MatchKind::Email,
    ];
    assert_eq!(
        pairs(&ledger),
        [
            (a, b, every),
            (a, c, vec![MatchKind::NamePhone]),
            (b, c, vec![MatchKind::NamePhone])
        ]
    );
}

#[test]
fn trashed_customers_and_pairs_marked_as_two_people_are_left_out() {
    let (_dir, mut ledger) = open_temp();
    let f = CustomerFields {
        phone: "03-1234-5678".into(),
        ..person("山田", "太郎")
    };
    let a = add(&mut ledger, f.clone());
    let b = add(&mut ledger, f.clone());
    let c = add(&mut ledger, f);
    ledger.trash_customer(&Actor::user(None), c).unwrap();
    assert_eq!(pairs(&ledger).len(), 1);
    ledger.mark_distinct(&Actor::user(None), b, a).unwrap();
    assert_eq!(pairs(&ledger), []);
    assert!(matches!(
        ledger.mark_distinct(&Actor::user(None), a, a),
        Err(LedgerError::Conflict(_))
    ));
}

/// Every row of a table, in a stable order, as SQLite stores it.
fn dump(ledger: &Ledger, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = ledger.conn().prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Everything a merge touches; change-log rows up to `last_log` (the merge
/// and its undo add their own rows on top).
fn state(ledger: &Ledger, last_log: i64) -> Vec<Vec<Vec<Value>>> {
    [
        "SELECT * FROM customers ORDER BY id".to_string(),
        "SELECT * FROM household_members ORDER BY id".into(),
        "SELECT * FROM status_history ORDER BY id".into(),
        "SELECT * FROM contacts ORDER BY id".into(),
        "SELECT * FROM projects ORDER BY id".into(),
        "SELECT * FROM tasks ORDER BY id".into(),
        "SELECT * FROM customer_labels ORDER BY 1, 2".into(),
        "SELECT * FROM segment_members ORDER BY 1, 2".into(),
        "SELECT * FROM mailing_recipients ORDER BY 1, 2".into(),
        "SELECT * FROM distinct_customers ORDER BY 1, 2".into(),
        "SELECT * FROM import_batch_customers ORDER BY 1, 2".into(),
        format!("SELECT * FROM change_log WHERE id <= {last_log} ORDER BY id"),
    ]
    .iter()
    .map(|sql| dump(ledger, sql))
    .collect()
}

fn count(ledger: &Ledger, sql: &str, id: i64) -> i64 {
    ledger.conn().query_row(sql, [id], |r| r.get(0)).unwrap()
}

/// Two records of one person, each with a bit of everything, and a third
/// customer each of them referred.
struct Pair {
    kept: i64,
    other: i64,
    referred: i64,
}

fn two_records_with_everything(ledger: &mut Ledger) -> Pair {
    let kept = add(
        ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            notes: "駐車場あり".into(),
            ..person("山田", "太郎")
        },
    );
    let other = add(
        ledger,
        CustomerFields {
            mobile: "03-1234-5678".into(),
            email: "taro@example.jp".into(),
            phone: "090-1111-2222".into(),
            notes: "犬がいる".into(),
            dm_opt_out: true,
            ..person("山田", "太郎")
        },
    );
    let referred = add(
        ledger,
        CustomerFields {
            referrer_id: Some(other),
            ..person("鈴木", "一郎")
        },
    );
    for customer in [kept, other] {
        contact_and_project(ledger, customer);
    }
    labels_household_and_status(ledger, kept, other);
    let stranger = add(ledger, person("田中", "次郎"));
    ledger
        .mark_distinct(&Actor::user(None), other, stranger)
        .unwrap();
    lists_and_mailings(ledger, kept, other);
    Pair {
        kept,
        other,
        referred,
    }
}

/// A contact with a next action, and a handed-over project with its
/// inspections.
fn contact_and_project(ledger: &mut Ledger, customer: i64) {
    let me = Actor::user(None);
    let today = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let contact = ContactInput {
        customer_id: customer,
        kind_id: 1,
        at: "2024-05-01 10:00".into(),
        note: format!("来場 {customer}"),
        next_on: Some("2024-05-10".into()),
        next_note: "電話".into(),
    };
    ledger.log_contact(&me, &contact, today).unwrap();
    let project = ProjectInput {
        id: None,
        customer_id: customer,
        kind: ProjectKind::Renovation,
        title: format!("外壁 {customer}"),
        amount_yen: Some(1_000_000),
        contract_on: None,
        start_on: None,
        completion_on: None,
        handover_on: Some("2024-04-01".into()),
    };
    ledger.save_project(&me, &project).unwrap();
}

/// A label both have and one only `other` has, `other`'s wife, and a
/// status move of `other`.
fn labels_household_and_status(ledger: &mut Ledger, kept: i64, other: i64) {
    let me = Actor::user(None);
    let label = |ledger: &mut Ledger, name: &str| {
        ledger
            .save_label(&LabelInput {
                id: None,
                name: name.into(),
                color: "#0ea5e9".into(),
            })
            .unwrap()
            .id
    };
    let (shared, own) = (label(ledger, "OB"), label(ledger, "見学会"));
    ledger.set_customer_labels(&me, kept, &[shared]).unwrap();
    ledger
        .set_customer_labels(&me, other, &[shared, own])
        .unwrap();
    let member = HouseholdMember {
        id: None,
        name: "山田 花子".into(),
        kana: String::new(),
        relation: "妻".into(),
        birthday: None,
        joint_name: true,
    };
    ledger.set_household(&me, other, &[member]).unwrap();
    let talks: i64 = ledger
        .conn()
        .query_row(
            "SELECT id FROM statuses WHERE stage = 'negotiation' ORDER BY position LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    ledger
        .change_status(&me, other, talks, "見積提出", "")
        .unwrap();
}

/// Both on a static list; `other` in a DM export's recipients.
fn lists_and_mailings(ledger: &mut Ledger, kept: i64, other: i64) {
    ledger
        .conn()
        .execute_batch(&format!(
            "INSERT INTO segments (id, name, kind, filter, created_at, updated_at)
             VALUES (1, '見学会リスト', 'static', '{{}}', '2024-01-01', '2024-01-01');
             INSERT INTO segment_members VALUES (1, {kept}), (1, {other});
             INSERT INTO mailings (id, exported_at, segment, format, file_name, rows, sha256)
             VALUES (1, '2024-01-01', 'all', 'xlsx', 'dm.xlsx', 2, '');
             INSERT INTO mailing_recipients VALUES (1, {other});"
        ))
        .unwrap();
}

const RELATED: [&str; 9] = [
    "household_members",
    "status_history",
    "contacts",
    "projects",
    "tasks",
    "change_log",
    "customer_labels",
    "segment_members",
    "mailing_recipients",
];

#[test]
fn a_merge_moves_every_related_row_and_deletes_the_other_record() {
    let (_dir, mut ledger) = open_temp();
    let p = two_records_with_everything(&mut ledger);
    let before: Vec<i64> = RELATED
        .iter()
        .map(|t| {
            count(
                &ledger,
                &format!("SELECT count(*) FROM {t} WHERE customer_id = ?1"),
                p.other,
            )
        })
        .collect();
    assert!(before.iter().all(|&n| n > 0), "{before:?}");
    assert_default_picks(&ledger, &p);
    let record = ledger
        .merge_customers(
            &Actor::user(None),
            p.kept,
            p.other,
            &[FieldPick {
                field: "phone".into(),
                pick: Pick::Other,
            }],
        )
        .unwrap();
    assert_eq!(
        (
            record.kept_id,
            record.merged_id,
            record.merged_name.as_str()
        ),
        (p.kept, p.other, "山田 太郎")
    );

    assert!(matches!(
        ledger.customer(p.other),
        Err(LedgerError::NotFound { .. })
    ));
    assert_fields_taken(&ledger, &p);
    assert_rows_moved(&ledger, &p);
    assert_history_and_search(&ledger, &p);
    assert_eq!(pairs(&ledger), []);
}

/// Where only one record has a value, or they differ, the plan's picks.
fn assert_default_picks(ledger: &Ledger, p: &Pair) {
    let plan = ledger.merge_plan(p.kept, p.other).unwrap();
    let mut picks: Vec<(&str, Pick)> = plan
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.pick))
        .collect();
    picks.sort_by_key(|(field, _)| *field);
    assert_eq!(
        picks,
        [
            ("dm_opt_out", Pick::Other),
            ("email", Pick::Other),
            ("mobile", Pick::Other),
            ("notes", Pick::Both),
            ("phone", Pick::Kept),
            ("status_id", Pick::Kept)
        ]
    );
}

/// The survivor took the chosen phone, the other's mobile and e-mail, both
/// notes and the DM opt-out, and both records' labels and household.
fn assert_fields_taken(ledger: &Ledger, p: &Pair) {
    let kept = ledger.customer(p.kept).unwrap();
    let f = &kept.fields;
    assert_eq!(
        (
            f.phone.as_str(),
            f.mobile.as_str(),
            f.email.as_str(),
            f.notes.as_str(),
            f.dm_opt_out
        ),
        (
            "090-1111-2222",
            "03-1234-5678",
            "taro@example.jp",
            "駐車場あり\n犬がいる",
            true
        )
    );
    assert_eq!(kept.labels.len(), 2);
    assert_eq!(kept.members.len(), 1);
}

/// Nothing points at the merged-away record any more; its rows are the
/// survivor's.
fn assert_rows_moved(ledger: &Ledger, p: &Pair) {
    for table in RELATED {
        let left = count(
            ledger,
            &format!("SELECT count(*) FROM {table} WHERE customer_id = ?1"),
            p.other,
        );
        assert_eq!(left, 0, "{table} still points at the merged-away record");
    }
    assert_eq!(
        count(
            ledger,
            "SELECT count(*) FROM contacts WHERE customer_id = ?1",
            p.kept
        ),
        2
    );
    assert_eq!(
        count(
            ledger,
            "SELECT count(*) FROM projects WHERE customer_id = ?1",
            p.kept
        ),
        2
    );
    assert_eq!(
        ledger.customer(p.referred).unwrap().fields.referrer_id,
        Some(p.kept)
    );
    assert_eq!(
        count(
            ledger,
            "SELECT count(*) FROM distinct_customers WHERE low_id = ?1 OR high_id = ?1",
            p.other
        ),
        0
    );
}

fn assert_history_and_search(ledger: &Ledger, p: &Pair) {
    // The survivor's history says it was merged, and is found by the other's e-mail.
    let history = ledger.customer_history(p.kept).unwrap();
    assert!(history
        .iter()
        .any(|h| h.field == "merged_from" && h.source == Source::Merge));
    let found = ledger
        .list_customers(
            &CustomerQuery {
                text: "taro@example".into(),
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(
        found.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [p.kept]
    );
}

#[test]
fn one_undo_restores_both_records_and_every_row_exactly() {
    let (_dir, mut ledger) = open_temp();
    let p = two_records_with_everything(&mut ledger);
    let last_log = count(&ledger, "SELECT max(id) FROM change_log WHERE ?1", 1);
    let before = state(&ledger, last_log);
    let picks = [
        FieldPick {
            field: "phone".into(),
            pick: Pick::Other,
        },
        FieldPick {
            field: "status_id".into(),
            pick: Pick::Other,
        },
    ];
    let me = Actor::user(None);
    let merge = ledger
        .merge_customers(&me, p.kept, p.other, &picks)
        .unwrap();
    assert_ne!(state(&ledger, last_log), before);

    let undone = ledger.undo_merge(&me, merge.id).unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(state(&ledger, last_log), before);
    let found = ledger
        .list_customers(
            &CustomerQuery {
                text: "taro@example".into(),
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(
        found.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [p.other]
    );
    assert!(matches!(
        ledger.undo_merge(&me, merge.id),
        Err(LedgerError::Conflict(_))
    ));
    assert!(matches!(
        ledger.undo_merge(&me, 999),
        Err(LedgerError::NotFound { .. })
    ));
}

#[test]
fn an_undo_keeps_what_was_changed_on_the_survivor_since_the_merge() {
    let (_dir, mut ledger) = open_temp();
    let p = two_records_with_everything(&mut ledger);
    let me = Actor::user(None);
    let merge = ledger.merge_customers(&me, p.kept, p.other, &[]).unwrap();
    let mut fields = ledger.customer(p.kept).unwrap().fields;
    fields.email = "new@example.jp".into();
    ledger.update_customer(&me, p.kept, &fields).unwrap();
    ledger.undo_merge(&me, merge.id).unwrap();
    let kept = ledger.customer(p.kept).unwrap().fields;
    // The e-mail was edited after the merge; the notes were not.
    assert_eq!(
        (kept.email.as_str(), kept.notes.as_str()),
        ("new@example.jp", "駐車場あり")
    );
    assert_eq!(
        ledger.customer(p.other).unwrap().fields.email,
        "taro@example.jp"
    );
}

#[test]
fn a_merge_refuses_the_same_record_the_trash_and_unknown_fields() {
    let (_dir, mut ledger) = open_temp();
    let me = Actor::user(None);
    let a = add(&mut ledger, person("山田", "太郎"));
    let b = add(&mut ledger, person("山田", "太郎"));
    assert!(matches!(
        ledger.merge_customers(&me, a, a, &[]),
        Err(LedgerError::Conflict(_))
    ));
    let bad = [FieldPick {
        field: "id".into(),
        pick: Pick::Other,
    }];
    assert!(matches!(
        ledger.merge_customers(&me, a, b, &bad),
        Err(LedgerError::Invalid(_))
    ));
    ledger.trash_customer(&me, b).unwrap();
    assert!(matches!(
        ledger.merge_customers(&me, a, b, &[]),
        Err(LedgerError::Conflict(_))
    ));
    assert!(ledger.merges().unwrap().is_empty());
}

/// A customer referred by the other record cannot end up referring itself.
#[test]
fn a_referral_between_the_two_records_is_dropped() {
    let (_dir, mut ledger) = open_temp();
    let me = Actor::user(None);
    let a = add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            ..person("山田", "太郎")
        },
    );
    let b = add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            referrer_id: Some(a),
            ..person("山田", "太郎")
        },
    );
    ledger.merge_customers(&me, b, a, &[]).unwrap();
    assert_eq!(ledger.customer(b).unwrap().fields.referrer_id, None);
}

/// Finding candidates is one pass with grouping: a ledger of 100,000
/// customers takes seconds, not the hours comparing every pair would.
#[test]
#[ignore]
fn candidates_among_100000_customers() {
    let (_dir, mut ledger) = open_temp();
    ledger
        .write(daicho_ledger::Need::Customers, |tx| {
            let mut stmt = tx.prepare(
                "INSERT INTO customers (family_name, given_name, phone, address1, email, status_id,
                                        created_at, updated_at)
                 VALUES (?1, '太郎', ?2, ?3, '', 1, '2024-01-01', '2024-01-01')",
            )?;
            for i in 0..100_000u32 {
                // Every 50th customer is typed twice.
                let n = if i % 50 == 1 { i - 1 } else { i };
                let phone = format!("03-{:04}-{:04}", n / 10000, n % 10000);
                stmt.execute(rusqlite::params![
                    format!("山田{n}"),
                    phone,
                    format!("桜新町{n}")
                ])?;
            }
            Ok(())
        })
        .unwrap();
    let started = std::time::Instant::now();
    let found = ledger.duplicate_candidates().unwrap();
    eprintln!("{} pairs in {:?}", found.len(), started.elapsed());
    assert_eq!(found.len(), 2000);
}

/// An import that filled a field of the merged-away record is still undone,
/// on the survivor that now holds what it wrote; the merge's own undo then
/// brings the record back as it was when merged.
#[test]
fn an_import_into_the_merged_away_record_can_still_be_undone() {
    use daicho_ledger::import::{FileCounts, ImportRecord};
    let (_dir, mut ledger) = open_temp();
    let me = Actor::user(None);
    let kept = add(
        &mut ledger,
        CustomerFields {
            phone: "03-1234-5678".into(),
            ..person("山田", "太郎")
        },
    );
    let other = add(
        &mut ledger,
        CustomerFields {
            email: "taro@example.jp".into(),
            ..person("山田", "太郎")
        },
    );
    let record = ImportRecord {
        origin: Vec::new(),
        fields: CustomerFields {
            email: "taro@example.jp".into(),
            company: "山田工務店".into(),
            ..person("山田", "太郎")
        },
        members: Vec::new(),
        overwrite: Vec::new(),
    };
    let batch = ledger
        .import_records(
            &me,
            "名簿.csv",
            &[record],
            FileCounts::default(),
            &mut |_, _| true,
        )
        .unwrap()
        .batch;
    assert_eq!(ledger.customer(other).unwrap().fields.company, "山田工務店");
    let batches_before = dump(
        &ledger,
        "SELECT * FROM import_batch_customers ORDER BY 1, 2",
    );

    let merge = ledger.merge_customers(&me, kept, other, &[]).unwrap();
    assert_eq!(ledger.customer(kept).unwrap().fields.company, "山田工務店");
    ledger.undo_import(&me, batch).unwrap();
    assert_eq!(ledger.customer(kept).unwrap().fields.company, "");
    ledger.undo_merge(&me, merge.id).unwrap();
    assert_eq!(
        dump(
            &ledger,
            "SELECT * FROM import_batch_customers ORDER BY 1, 2"
        ),
        batches_before
    );
    assert_eq!(ledger.customer(other).unwrap().fields.company, "山田工務店");
}
