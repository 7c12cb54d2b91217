//! The ledger on real SQLite files in temporary directories.

use daicho_ledger::contacts::local_today;
use daicho_ledger::*;
use sha2::{Digest, Sha256};

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn yamada() -> CustomerFields {
    CustomerFields {
        family_name: "山田".into(),
        given_name: "太郎".into(),
        family_kana: "ﾔﾏﾀﾞ".into(),
        given_kana: "たろう".into(),
        postal_code: "１５４００１５".into(),
        prefecture: "東京都".into(),
        city: "世田谷区".into(),
        address1: "桜新町１－２－３".into(),
        mobile: "09012345678".into(),
        email: "taro@example.jp".into(),
        ..Default::default()
    }
}

fn search(ledger: &Ledger, text: &str) -> Vec<i64> {
    let q = CustomerQuery {
        text: text.into(),
        ..Default::default()
    };
    ledger
        .list_customers(&q, local_today())
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect()
}

fn file_hash(path: &std::path::Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_new_ledger_is_wal_full_sync_with_foreign_keys_and_the_builder_preset() {
    let (_dir, ledger) = open_temp();
    let conn = ledger.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    let names: Vec<String> = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "見学会からの新規引合い",
            "WEBからの新規引合い",
            "リアルな新規引合い",
            "商談中",
            "管理客",
            "契約",
            "新築OB客",
            "リフォームOB客",
            "その他OB",
            "停止"
        ]
    );
    let stop = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "停止")
        .unwrap();
    assert!(!stop.dm_allowed);
    assert_eq!(stop.stage, Stage::Stopped);
}

#[test]
fn creating_normalizes_and_labels_new_inquiries() {
    let (_dir, mut ledger) = open_temp();
    let c = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    assert_eq!(c.fields.family_kana, "ヤマダ");
    assert_eq!(c.fields.given_kana, "タロウ");
    assert_eq!(c.fields.postal_code, "154-0015");
    assert_eq!(c.fields.address1, "桜新町1-2-3");
    assert_eq!(c.fields.mobile, "090-1234-5678");
    assert_eq!(c.status, "見学会からの新規引合い");
    assert_eq!(
        c.labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["重要顧客"]
    );

    let mut settings = ledger.settings().unwrap();
    settings.auto_important_label = false;
    ledger.save_settings(&settings).unwrap();
    let c2 = ledger
        .create_customer(
            &Actor::user(None),
            &CustomerFields {
                family_name: "鈴木".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(c2.labels.is_empty());

    let negotiating = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "商談中")
        .unwrap();
    settings.auto_important_label = true;
    ledger.save_settings(&settings).unwrap();
    let c3 = ledger
        .create_customer(
            &Actor::user(None),
            &CustomerFields {
                family_name: "高橋".into(),
                status_id: Some(negotiating.id),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        c3.labels.is_empty(),
        "only inquiry-stage customers get 重要顧客"
    );
}

#[test]
fn search_finds_by_every_spelling() {
    let (_dir, mut ledger) = open_temp();
    let id = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap()
        .id;
    ledger
        .create_customer(
            &Actor::user(None),
            &CustomerFields {
                family_name: "鈴木".into(),
                family_kana: "スズキ".into(),
                phone: "03-2099-7843".into(),
                ..Default::default()
            },
        )
        .unwrap();
    for query in [
        "ﾔﾏﾀﾞ",
        "やまだ",
        "ヤマダ",
        "山田",
        "山田 太郎",
        "山",
        "09012345678",
        "090-1234-5678",
        "1234",
        "154-0015",
        "1540015",
        "桜新町",
        "taro@",
        "ＴＡＲＯ",
        "ﾀﾛｳ",
    ] {
        assert_eq!(search(&ledger, query), vec![id], "query {query}");
    }
    assert_eq!(search(&ledger, "0320997843").len(), 1);
    assert!(search(&ledger, "佐藤").is_empty());
}

#[test]
fn invalid_input_names_the_fields_and_writes_nothing() {
    let (_dir, mut ledger) = open_temp();
    let bad = CustomerFields {
        family_name: " ".into(),
        postal_code: "12-34".into(),
        phone: "電話なし".into(),
        email: "taro@".into(),
        birthday: Some("1980-02-30".into()),
        family_kana: "山田".into(),
        ..Default::default()
    };
    let err = ledger
        .create_customer(&Actor::user(None), &bad)
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let mut fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "birthday",
            "email",
            "family_kana",
            "family_name",
            "phone",
            "postal_code"
        ]
    );
    assert!(
        err.fields().iter().all(|f| !f.message.is_ascii()),
        "messages are Japanese"
    );
    assert_eq!(ledger.stats().unwrap().customers, 0);
    let log: i64 = ledger
        .conn()
        .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(log, 0);
}

#[test]
fn edits_and_status_moves_are_in_the_history_with_who_did_them() {
    let (_dir, mut ledger) = open_temp();
    let staff = ledger
        .save_staff(&StaffInput {
            id: None,
            name: "佐藤 健一".into(),
            kana: "さとう けんいち".into(),
            active: true,
            role: daicho_ledger::Role::Sales,
        })
        .unwrap();
    let me = Actor::user(Some(staff.id));
    let c = ledger.create_customer(&me, &yamada()).unwrap();
    let mut edited = c.fields.clone();
    edited.phone = "0312345678".into();
    edited.grade = Some(Grade::A);
    ledger.update_customer(&me, c.id, &edited).unwrap();
    let negotiating = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "商談中")
        .unwrap();
    let moved = ledger
        .change_status(&me, c.id, negotiating.id, "来月着工希望", "")
        .unwrap();
    assert_eq!(moved.status, "商談中");

    let history = ledger.customer_history(c.id).unwrap();
    let status = history
        .iter()
        .find(|h| h.kind == HistoryKind::Status && h.new_value.as_deref() == Some("商談中"))
        .unwrap();
    assert_eq!(status.old_value.as_deref(), Some("見学会からの新規引合い"));
    assert_eq!(status.note, "来月着工希望");
    assert_eq!(status.staff_name.as_deref(), Some("佐藤 健一"));
    let phone = history.iter().find(|h| h.field == "phone").unwrap();
    assert_eq!(
        (phone.old_value.as_deref(), phone.new_value.as_deref()),
        (Some(""), Some("03-1234-5678"))
    );
    assert!(history
        .iter()
        .any(|h| h.field == "grade" && h.new_value.as_deref() == Some("A")));
    // Creation is one entry; unchanged fields are not logged on update.
    assert_eq!(history.iter().filter(|h| h.field == "created").count(), 1);
    assert!(history.iter().all(|h| h.field != "family_name"));
    assert!(search(&ledger, "0312345678").contains(&c.id));
}

#[test]
fn retired_statuses_stay_on_records_but_cannot_be_chosen() {
    let (_dir, mut ledger) = open_temp();
    let c = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    let mut status = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "管理客")
        .unwrap();
    status.retired = true;
    ledger
        .save_status(&StatusInput {
            id: Some(status.id),
            name: status.name.clone(),
            stage: status.stage,
            dm_allowed: true,
            color: status.color.clone(),
            retired: true,
        })
        .unwrap();
    let err = ledger
        .change_status(&Actor::user(None), c.id, status.id, "", "")
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        ledger.customer(c.id).unwrap().status,
        "見学会からの新規引合い"
    );
}

#[test]
fn statuses_can_be_added_renamed_and_reordered() {
    let (_dir, mut ledger) = open_temp();
    let added = ledger
        .save_status(&StatusInput {
            id: None,
            name: "失注".into(),
            stage: Stage::Lost,
            dm_allowed: true,
            color: "#b91c1c".into(),
            retired: false,
        })
        .unwrap();
    let mut ids: Vec<i64> = ledger.statuses().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids.last(), Some(&added.id));
    ids.rotate_right(1);
    let reordered = ledger.reorder_statuses(&ids).unwrap();
    assert_eq!(reordered[0].name, "失注");
    let dup = ledger.save_status(&StatusInput {
        id: None,
        name: "契約".into(),
        stage: Stage::Contract,
        dm_allowed: true,
        color: "#000".into(),
        retired: false,
    });
    assert_eq!(dup.unwrap_err().code(), "invalid");
    assert_eq!(
        ledger.reorder_statuses(&ids[1..]).unwrap_err().code(),
        "conflict"
    );
}

#[test]
fn the_renovation_preset_replaces_statuses_only_on_an_empty_ledger() {
    let (_dir, mut ledger) = open_temp();
    let statuses = ledger.apply_preset(Preset::Renovation).unwrap();
    assert_eq!(statuses.len(), 7);
    let leaving = statuses.iter().find(|s| s.name == "離反顧客").unwrap();
    assert!(!leaving.dm_allowed);
    assert!(ledger.settings().unwrap().first_run_done);
    ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    // Customers are in the renovation statuses now: they stay.
    assert_eq!(ledger.apply_preset(Preset::Builder).unwrap(), statuses);
}

/// A ledger filled before the app's first start (`daicho sample`, an
/// import) used to hold the first-run screen forever: its preset was refused
/// and first_run_done never set.
#[test]
fn the_first_run_finishes_on_a_ledger_that_already_holds_customers() {
    let (_dir, mut ledger) = open_temp();
    ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    let before = ledger.statuses().unwrap();
    assert!(!ledger.settings().unwrap().first_run_done);
    assert_eq!(ledger.apply_preset(Preset::Renovation).unwrap(), before);
    assert!(ledger.settings().unwrap().first_run_done);
}

#[test]
fn trash_hides_and_restore_brings_back() {
    let (_dir, mut ledger) = open_temp();
    let c = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    ledger.trash_customer(&Actor::user(None), c.id).unwrap();
    assert!(search(&ledger, "山田").is_empty());
    let trash = ledger
        .list_customers(
            &CustomerQuery {
                trashed: true,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(trash.total, 1);
    assert_eq!(ledger.stats().unwrap().trashed, 1);
    ledger.restore_customer(&Actor::user(None), c.id).unwrap();
    assert_eq!(search(&ledger, "山田"), vec![c.id]);
}

#[test]
fn labels_and_household_are_edited_and_searchable() {
    let (_dir, mut ledger) = open_temp();
    let c = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap();
    let land = ledger
        .labels()
        .unwrap()
        .into_iter()
        .find(|l| l.name == "土地あり")
        .unwrap();
    ledger
        .set_customer_labels(&Actor::user(None), c.id, &[land.id])
        .unwrap();
    let page = ledger
        .list_customers(
            &CustomerQuery {
                label_ids: vec![land.id],
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(page.rows[0].label_ids, vec![land.id]);
    let members = vec![HouseholdMember {
        id: None,
        name: "山田 花子".into(),
        kana: "やまだ はなこ".into(),
        relation: "配偶者".into(),
        birthday: Some("1982-03-04".into()),
        joint_name: true,
    }];
    let saved = ledger
        .set_household(&Actor::user(None), c.id, &members)
        .unwrap();
    assert_eq!(saved[0].kana, "ヤマダ ハナコ");
    assert_eq!(search(&ledger, "はなこ"), vec![c.id]);
    assert!(ledger
        .customer_history(c.id)
        .unwrap()
        .iter()
        .any(|h| h.field == "members"));
}

#[test]
fn filters_combine() {
    let (_dir, mut ledger) = open_temp();
    ledger.add_sample_data(&Actor::system(), 300, 7).unwrap();
    let stats = ledger.stats().unwrap();
    assert!(stats.customers >= 300);
    let owner = ledger
        .list_customers(
            &CustomerQuery {
                stages: vec![Stage::Owner],
                grades: vec![Grade::A],
                limit: 1000,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    for row in &owner.rows {
        let c = ledger.customer(row.id).unwrap();
        assert_eq!((c.stage, c.fields.grade), (Stage::Owner, Some(Grade::A)));
    }
    let by_status: u32 = stats.by_status.iter().map(|s| s.count).sum();
    assert_eq!(by_status, stats.customers);
    let page = ledger
        .list_customers(
            &CustomerQuery {
                offset: 100,
                limit: 50,
                sort: SortKey::Kana,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (stats.customers, 50));
}

#[test]
fn sample_data_is_repeatable() {
    let (_a, mut one) = open_temp();
    let (_b, mut two) = open_temp();
    one.add_sample_data(&Actor::system(), 50, 42).unwrap();
    two.add_sample_data(&Actor::system(), 50, 42).unwrap();
    let names = |l: &Ledger| -> Vec<String> {
        l.list_customers(
            &CustomerQuery {
                sort: SortKey::Created,
                limit: 100,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| format!("{}{}{}", r.family_name, r.given_name, r.address))
        .collect()
    };
    assert_eq!(names(&one).len(), 50);
    let mut a = names(&one);
    let mut b = names(&two);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let id = Ledger::open(&path)
        .unwrap()
        .create_customer(&Actor::user(None), &yamada())
        .unwrap()
        .id;
    let reopened = Ledger::open(&path).unwrap();
    assert_eq!(reopened.customer(id).unwrap().fields.family_name, "山田");
    assert_eq!(
        reopened.statuses().unwrap().len(),
        10,
        "the preset is seeded once"
    );
}

#[test]
fn a_newer_ledger_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    drop(Ledger::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_hash(&path);
    let err = Ledger::open(&path).err().unwrap();
    assert_eq!(err.code(), "ledger_too_new");
    assert!(err.to_string().contains("新しい"));
    assert_eq!(file_hash(&path), before);
}

#[test]
fn foreign_and_corrupt_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other.sqlite3");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute("CREATE TABLE notes (body TEXT)", []).unwrap();
    }
    let before = file_hash(&foreign);
    assert_eq!(Ledger::open(&foreign).err().unwrap().code(), "not_a_ledger");
    assert_eq!(file_hash(&foreign), before);

    let garbage = dir.path().join("garbage.sqlite3");
    std::fs::write(
        &garbage,
        b"this is an image renamed to .sqlite3, not a database at all........",
    )
    .unwrap();
    let before = file_hash(&garbage);
    assert_eq!(
        Ledger::open(&garbage).err().unwrap().code(),
        "ledger_corrupt"
    );
    assert_eq!(file_hash(&garbage), before);
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let backup = dir.path().join("copy.sqlite3");
    let mut ledger = Ledger::open(&path).unwrap();
    let id = ledger
        .create_customer(&Actor::user(None), &yamada())
        .unwrap()
        .id;
    ledger.backup_to(&backup).unwrap();
    assert_eq!(
        ledger.backup_to(&backup).unwrap_err().code(),
        "conflict",
        "never overwrites"
    );
    ledger.trash_customer(&Actor::user(None), id).unwrap();
    ledger
        .create_customer(
            &Actor::user(None),
            &CustomerFields {
                family_name: "後で消える".into(),
                ..Default::default()
            },
        )
        .unwrap();
    drop(ledger);

    backup::restore(&path, &backup).unwrap();
    let restored = Ledger::open(&path).unwrap();
    assert_eq!(restored.stats().unwrap().customers, 1);
    assert!(restored.customer(id).unwrap().deleted_at.is_none());
    let kept = backup::list(&path).unwrap();
    assert!(
        kept.iter().any(|b| b.file_name.contains("before-restore")),
        "the replaced ledger was kept"
    );

    let foreign = dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute("CREATE TABLE t (x)", [])
        .unwrap();
    drop(restored);
    let before = file_hash(&path);
    assert_eq!(
        backup::restore(&path, &foreign).unwrap_err().code(),
        "not_a_ledger"
    );
    assert_eq!(file_hash(&path), before);
}

#[test]
fn automatic_backups_are_daily_and_keep_fourteen() {
    let (_dir, ledger) = open_temp();
    assert!(ledger.backup_if_due().unwrap().is_some());
    assert!(ledger.backup_if_due().unwrap().is_none(), "one a day");
    for _ in 0..20 {
        ledger.backup_now().unwrap();
    }
    let list = backup::list(ledger.path()).unwrap();
    assert_eq!(list.len(), backup::KEEP);
    backup::check_ledger_file(std::path::Path::new(&list[0].path)).unwrap();
}

#[test]
fn static_lists_by_hand_from_a_search_and_as_a_snapshot() {
    use daicho_ledger::segments::{Condition, Group, Part, SegmentInput, SegmentKind};
    let (_dir, mut ledger) = open_temp();
    ledger.add_sample_data(&Actor::system(), 120, 5).unwrap();
    let a_grade = Group {
        all: true,
        parts: vec![Part::Condition {
            condition: Condition::GradeIn {
                grades: vec![Grade::A],
            },
        }],
    };
    let snapshot = ledger
        .snapshot_segment("A客 11月", &a_grade, local_today())
        .unwrap();
    let members = ledger.segment_member_ids(&snapshot, local_today()).unwrap();
    assert_eq!(
        members,
        ledger.filter_member_ids(&a_grade, local_today()).unwrap()
    );
    assert!(!members.is_empty());
    // The snapshot does not follow later changes.
    let first = members[0];
    let mut fields = ledger.customer(first).unwrap().fields;
    fields.grade = Some(Grade::D);
    ledger
        .update_customer(&Actor::user(None), first, &fields)
        .unwrap();
    assert!(ledger
        .segment_member_ids(&snapshot, local_today())
        .unwrap()
        .contains(&first));
    assert!(!ledger
        .filter_member_ids(&a_grade, local_today())
        .unwrap()
        .contains(&first));

    let list = ledger
        .save_segment(&SegmentInput {
            id: None,
            name: "見学会招待".into(),
            kind: SegmentKind::Static,
            filter: Group::default(),
        })
        .unwrap();
    let added = ledger
        .add_search_to_list(
            list.id,
            &CustomerQuery {
                text: "山".into(),
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(
        added as usize,
        ledger
            .segment_member_ids(&list, local_today())
            .unwrap()
            .len()
    );
    ledger
        .set_list_members(
            list.id,
            &[],
            &[ledger.segment_member_ids(&list, local_today()).unwrap()[0]],
        )
        .unwrap();
    assert_eq!(
        ledger
            .segment_member_ids(&list, local_today())
            .unwrap()
            .len(),
        added as usize - 1
    );
}

/// The ledger and its backups hold personal data: owner-only on Unix.
#[cfg(unix)]
#[test]
fn the_ledger_and_its_backups_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let ledger = Ledger::open(&path).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    let wal = dir.path().join("daicho.sqlite3-wal");
    assert_eq!(mode(&wal), 0o600, "the WAL holds the same data");
    let backup = ledger.backup_now().unwrap();
    assert_eq!(
        mode(std::path::Path::new(&backup.path)),
        0o600,
        "{}",
        backup.path
    );
}
