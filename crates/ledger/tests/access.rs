//! Who may do what, on real ledger files: each role against the writes it
//! may and may not make, sign-in with PINs and locking, the office always
//! keeping a 管理者, and the export record of what left.

use daicho_ledger::*;

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn member(ledger: &mut Ledger, name: &str, role: Role) -> Staff {
    ledger
        .save_staff(&StaffInput {
            id: None,
            name: name.into(),
            kana: String::new(),
            active: true,
            role,
        })
        .unwrap()
}

fn customer() -> CustomerFields {
    CustomerFields {
        family_name: "山田".into(),
        given_name: "太郎".into(),
        ..CustomerFields::default()
    }
}

fn code(error: LedgerError) -> ErrorCode {
    error.code()
}

/// An office of four: 山田 (管理者, the first), 佐藤 (営業), 鈴木 (事務),
/// 高橋 (閲覧のみ).
fn office() -> (tempfile::TempDir, Ledger, [Staff; 4]) {
    let (dir, mut ledger) = open_temp();
    let staff = [
        member(&mut ledger, "山田", Role::Sales),
        member(&mut ledger, "佐藤", Role::Sales),
        member(&mut ledger, "鈴木", Role::Office),
        member(&mut ledger, "高橋", Role::ReadOnly),
    ];
    (dir, ledger, staff)
}

#[test]
fn the_first_member_is_the_admin_and_the_last_admin_stays_one() {
    let (_dir, mut ledger, [yamada, sato, ..]) = office();
    assert_eq!(yamada.role, Role::Admin, "asked for 営業, made 管理者");
    assert_eq!(sato.role, Role::Sales);
    let demote = StaffInput {
        id: Some(yamada.id),
        name: yamada.name.clone(),
        kana: String::new(),
        active: true,
        role: Role::Sales,
    };
    assert_eq!(code(ledger.save_staff(&demote).unwrap_err()), "invalid");
    let retire = StaffInput {
        role: Role::Admin,
        active: false,
        ..demote.clone()
    };
    assert_eq!(code(ledger.save_staff(&retire).unwrap_err()), "invalid");
    // With a second 管理者, the first may step down.
    let mut promote = StaffInput {
        id: Some(sato.id),
        name: sato.name.clone(),
        kana: String::new(),
        active: true,
        role: Role::Admin,
    };
    ledger.save_staff(&promote).unwrap();
    assert_eq!(ledger.save_staff(&demote).unwrap().role, Role::Sales);
    // 山田 acts as 営業 from that moment, and may no longer change staff.
    assert_eq!(
        code(ledger.save_staff(&demote).unwrap_err()),
        "not_permitted"
    );
    ledger.sign_in(sato.id, None).unwrap();
    promote.role = Role::Sales;
    assert_eq!(code(ledger.save_staff(&promote).unwrap_err()), "invalid");
}

#[test]
fn each_role_is_refused_what_it_may_not_do_and_nothing_is_written() {
    let (_dir, mut ledger, [_, sato, suzuki, takahashi]) = office();
    let made = ledger
        .create_customer(&Actor::user(None), &customer())
        .unwrap();

    ledger.sign_in(takahashi.id, None).unwrap();
    let refused = ledger
        .create_customer(&Actor::user(Some(takahashi.id)), &customer())
        .unwrap_err();
    assert_eq!(refused.code(), "not_permitted");
    let message = refused.to_string();
    assert!(message.contains("高橋さん（閲覧のみ）"), "{message}");
    assert!(message.contains("顧客・商談・対応履歴の変更"), "{message}");
    assert!(message.contains("管理者・営業ができます"), "{message}");
    assert_eq!(ledger.stats().unwrap().customers, 1, "nothing written");

    ledger.sign_in(suzuki.id, None).unwrap();
    let mut edited = made.fields.clone();
    edited.phone = "0312345678".into();
    assert_eq!(
        code(
            ledger
                .update_customer(&Actor::user(Some(suzuki.id)), made.id, &edited)
                .unwrap_err()
        ),
        "not_permitted"
    );
    let settings = ledger.settings().unwrap();
    assert_eq!(
        code(ledger.save_settings(&settings).unwrap_err()),
        "not_permitted"
    );

    ledger.sign_in(sato.id, None).unwrap();
    ledger
        .update_customer(&Actor::user(Some(sato.id)), made.id, &edited)
        .unwrap();
    assert_eq!(
        code(ledger.save_settings(&settings).unwrap_err()),
        "not_permitted"
    );
    let reason = "本人の求め";
    assert_eq!(
        code(
            ledger
                .erase_customer(&Actor::user(Some(sato.id)), made.id, reason)
                .unwrap_err()
        ),
        "not_permitted"
    );
    assert_eq!(
        ledger.customer(made.id).unwrap().fields.phone,
        "03-1234-5678"
    );
}

#[test]
fn what_the_ui_hides_follows_the_same_table() {
    let (_dir, mut ledger, [yamada, sato, suzuki, takahashi]) = office();
    let may = |ledger: &mut Ledger, id: i64| ledger.sign_in(id, None).unwrap().may;
    assert_eq!(may(&mut ledger, yamada.id), Need::ALL.to_vec());
    let sales = may(&mut ledger, sato.id);
    assert!(sales.contains(&Need::Customers) && sales.contains(&Need::Export));
    assert!(!sales.contains(&Need::Import) && !sales.contains(&Need::Staff));
    let office_work = may(&mut ledger, suzuki.id);
    assert!(office_work.contains(&Need::Import) && office_work.contains(&Need::Requests));
    assert!(!office_work.contains(&Need::Customers));
    assert!(may(&mut ledger, takahashi.id).is_empty());

    // The office may keep DM lists away from 営業.
    ledger.sign_in(yamada.id, None).unwrap();
    let closed = AccessSettings {
        sales_may_export: false,
        ..ledger.access_settings().unwrap()
    };
    let export_roles = |ledger: &Ledger| {
        let rules = ledger.access_rules().unwrap();
        rules
            .into_iter()
            .find(|r| r.need == Need::Export)
            .unwrap()
            .roles
    };
    assert_eq!(
        export_roles(&ledger),
        [Role::Admin, Role::Sales, Role::Office]
    );
    ledger.save_access_settings(&closed).unwrap();
    assert!(!may(&mut ledger, sato.id).contains(&Need::Export));
    assert_eq!(export_roles(&ledger), [Role::Admin, Role::Office]);
}

#[test]
fn with_sign_in_on_nobody_acts_until_their_pin_matches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let mut ledger = Ledger::open(&path).unwrap();
    let yamada = member(&mut ledger, "山田", Role::Admin);
    let sato = member(&mut ledger, "佐藤", Role::Sales);
    let on = AccessSettings {
        sign_in_required: true,
        ..AccessSettings::default()
    };
    // Not before the 管理者 turning it on has a PIN of their own.
    assert_eq!(
        code(ledger.save_access_settings(&on).unwrap_err()),
        "invalid"
    );
    assert_eq!(
        code(ledger.set_pin(yamada.id, "12").unwrap_err()),
        "invalid"
    );
    ledger.set_pin(yamada.id, "1234").unwrap();
    ledger.set_pin(sato.id, "sato-pass").unwrap();
    ledger.save_access_settings(&on).unwrap();
    drop(ledger);

    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.session_info().unwrap().acting, None);
    assert_eq!(
        code(
            ledger
                .create_customer(&Actor::user(None), &customer())
                .unwrap_err()
        ),
        "sign_in_required"
    );
    assert_eq!(
        code(ledger.sign_in(sato.id, Some("1234")).unwrap_err()),
        "wrong_pin"
    );
    assert_eq!(
        code(ledger.sign_in(sato.id, None).unwrap_err()),
        "wrong_pin"
    );
    let info = ledger.sign_in(sato.id, Some("sato-pass")).unwrap();
    assert_eq!(info.acting.unwrap().name, "佐藤");
    ledger
        .create_customer(&ledger.current_actor().unwrap(), &customer())
        .unwrap();
    // 営業 may set their own PIN, never another's.
    ledger.set_pin(sato.id, "new-pass").unwrap();
    assert_eq!(
        code(ledger.set_pin(yamada.id, "0000").unwrap_err()),
        "not_permitted"
    );

    assert_eq!(ledger.lock().unwrap().acting, None);
    assert_eq!(
        code(
            ledger
                .create_customer(&Actor::user(None), &customer())
                .unwrap_err()
        ),
        "sign_in_required"
    );
    // A forgotten PIN is reset by a 管理者.
    ledger.sign_in(yamada.id, Some("1234")).unwrap();
    ledger.set_pin(sato.id, "reset-1").unwrap();
    ledger.sign_in(sato.id, Some("reset-1")).unwrap();
}

#[test]
fn every_file_out_erasure_and_restore_is_in_the_export_record() {
    let (dir, mut ledger, [yamada, sato, ..]) = office();
    let made = ledger
        .create_customer(&Actor::user(None), &customer())
        .unwrap();

    ledger.sign_in(sato.id, None).unwrap();
    let backup = dir.path().join("持ち出し.sqlite3");
    assert_eq!(
        code(ledger.export_backup(&backup).unwrap_err()),
        "not_permitted"
    );
    assert!(!backup.exists(), "refused before the copy is made");

    ledger.sign_in(yamada.id, None).unwrap();
    let entry = ledger.export_backup(&backup).unwrap();
    assert_eq!(entry.staff_name, "山田");
    assert_eq!(entry.role, "管理者");
    assert_eq!(entry.note.kind, ExportKind::Backup);
    assert_eq!(entry.note.file_name, "持ち出し.sqlite3");
    assert_eq!(entry.note.people, 1);
    assert_eq!(entry.note.sha256.len(), 64);

    ledger
        .erase_customer(&Actor::user(Some(yamada.id)), made.id, "本人の求め")
        .unwrap();
    let record = ledger.exports(10).unwrap();
    assert_eq!(record[0].note.kind, ExportKind::Erasure);
    assert_eq!(record[0].note.people, 1);
    assert_eq!(record[1].note.kind, ExportKind::Backup);
    // The record of an erasure never says who was erased.
    let text = serde_json::to_string(&record).unwrap();
    assert!(
        !text.contains("山田 太郎") && !text.contains("太郎"),
        "{text}"
    );
}

#[test]
fn a_ledger_without_staff_acts_as_the_office_as_before_roles() {
    let (_dir, mut ledger) = open_temp();
    let info = ledger.session_info().unwrap();
    assert_eq!(info.acting, Some(Acting::office()));
    assert_eq!(info.may, Need::ALL.to_vec());
    ledger
        .create_customer(&Actor::user(None), &customer())
        .unwrap();
    // The first member takes over from the office at once.
    let first = member(&mut ledger, "山田", Role::ReadOnly);
    assert_eq!(
        ledger.session_info().unwrap().acting.unwrap().staff_id,
        Some(first.id)
    );
}

#[test]
fn birthdays_family_and_confidential_notes_are_for_the_roles_the_office_chooses() {
    let (_dir, mut ledger, [yamada, sato, ..]) = office();
    let fields = CustomerFields {
        birthday: Some("1980-04-01".into()),
        confidential_notes: "値引きの約束あり".into(),
        ..customer()
    };
    let made = ledger.create_customer(&Actor::user(None), &fields).unwrap();
    let wife = HouseholdMember {
        id: None,
        name: "花子".into(),
        kana: String::new(),
        relation: "妻".into(),
        birthday: Some("1982-05-05".into()),
        joint_name: true,
    };
    ledger
        .set_household(&Actor::user(None), made.id, std::slice::from_ref(&wife))
        .unwrap();
    // 営業 sees them by default; the office narrows it to 管理者.
    ledger.sign_in(sato.id, None).unwrap();
    assert!(!ledger.customer(made.id).unwrap().sensitive_hidden);
    ledger.sign_in(yamada.id, None).unwrap();
    let narrow = AccessSettings {
        sensitive_roles: vec![Role::Admin],
        ..ledger.access_settings().unwrap()
    };
    ledger.save_access_settings(&narrow).unwrap();

    let me = Actor::user(Some(sato.id));
    let info = ledger.sign_in(sato.id, None).unwrap();
    assert!(!info.sees_sensitive);
    let seen = ledger.customer(made.id).unwrap();
    assert!(seen.sensitive_hidden);
    assert_eq!(seen.fields.birthday, None);
    assert_eq!(seen.fields.confidential_notes, "");
    assert!(seen.members.is_empty());
    let history = serde_json::to_string(&ledger.customer_history(made.id).unwrap()).unwrap();
    assert!(
        !history.contains("1980-04-01") && !history.contains("値引き"),
        "{history}"
    );
    assert!(!history.contains("花子"), "{history}");

    // Their edit of what they see keeps what they do not.
    let mut edited = seen.fields.clone();
    edited.phone = "0312345678".into();
    ledger.update_customer(&me, made.id, &edited).unwrap();
    let refused = ledger.set_household(&me, made.id, &[]).unwrap_err();
    assert_eq!(refused.code(), "not_permitted");
    assert!(
        refused.to_string().contains("管理者ができます"),
        "{refused}"
    );

    ledger.sign_in(yamada.id, None).unwrap();
    let whole = ledger.customer(made.id).unwrap();
    assert_eq!(whole.fields.birthday.as_deref(), Some("1980-04-01"));
    assert_eq!(whole.fields.confidential_notes, "値引きの約束あり");
    assert_eq!(whole.fields.phone, "03-1234-5678");
    assert_eq!(whole.members.len(), 1);
}
