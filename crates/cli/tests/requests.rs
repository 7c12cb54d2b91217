//! `daicho request add` → `daicho requests` → `daicho request close` →
//! `daicho dashboard` on a real ledger file, as an office admin runs them.

mod common;
use common::{daicho, daicho_json, ok};

use daicho_ledger::contacts::local_today;
use daicho_ledger::{Actor, CustomerFields, Ledger};

fn owner(db: &std::path::Path) -> i64 {
    let mut ledger = Ledger::open(db).unwrap();
    let fields = CustomerFields {
        family_name: "佐藤".into(),
        given_name: "花子".into(),
        ..Default::default()
    };
    ledger
        .create_customer(&Actor::user(None), &fields)
        .unwrap()
        .id
}

#[test]
fn a_request_is_added_listed_closed_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let customer = owner(&db).to_string();
    let added = ok(&daicho_json(
        &db,
        &[
            "request",
            "add",
            &customer,
            "--category",
            "雨漏り",
            "--note",
            "天井にしみ",
            "--channel",
            "電話",
        ],
    ));
    let id = added["id"].as_i64().unwrap().to_string();
    assert_eq!(added["status"], "received");
    let open = ok(&daicho_json(&db, &["requests", "--open"]));
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["customer_name"], "佐藤 花子");
    let closed = ok(&daicho_json(
        &db,
        &[
            "request",
            "close",
            &id,
            "--cause",
            "施工",
            "--note",
            "シーリング打ち替え",
        ],
    ));
    assert_eq!(closed["status"], "done");
    assert_eq!(closed["cause"], "施工");
    let open = ok(&daicho_json(&db, &["requests", "--open"]));
    assert_eq!(open.as_array().unwrap().len(), 0);
    let today = local_today().to_string();
    let first = local_today().format("%Y-%m-01").to_string();
    let board = ok(&daicho_json(
        &db,
        &["dashboard", "--from", &first, "--to", &today],
    ));
    assert_eq!(board["requests"]["by_category"][0]["name"], "雨漏り");
    assert_eq!(board["requests"]["by_cause"][0]["name"], "施工");
    assert_eq!(board["requests"]["median_days"], 0);
    let text = daicho(&db, &["dashboard"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("アフター依頼の分類別"), "{text}");
    assert!(text.contains("施工"), "{text}");
}

#[test]
fn a_wrong_category_or_cause_is_named_back_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let customer = owner(&db).to_string();
    let refused = daicho(
        &db,
        &[
            "request",
            "add",
            &customer,
            "--category",
            "屋根",
            "--note",
            "x",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("分類「屋根」"), "{stderr}");
    let refused = daicho(
        &db,
        &[
            "request",
            "add",
            &customer,
            "--category",
            "建具",
            "--note",
            "x",
            "--channel",
            "FAX",
        ],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("受付方法「FAX」"), "{stderr}");
}

#[test]
fn a_partners_open_requests_are_written_for_them_and_kept_unless_replacing() {
    use daicho_ledger::requests::{ListEntryInput, RequestInput, RequestList};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let customer_id = owner(&db);
    {
        let mut ledger = Ledger::open(&db).unwrap();
        let entry = ListEntryInput {
            id: None,
            name: "山田工務店".into(),
            retired: false,
        };
        let partners = ledger
            .save_request_list_entry(RequestList::Partner, &entry)
            .unwrap();
        let category = ledger
            .request_list_entry(RequestList::Category, "建具")
            .unwrap();
        let input = RequestInput {
            customer_id,
            received_on: local_today().to_string(),
            category_id: category.id,
            complaint: "勝手口のドアが閉まりにくい".into(),
            partner_id: Some(partners[0].id),
            ..RequestInput::default()
        };
        ledger
            .create_request(&Actor::user(None), &input, local_today())
            .unwrap();
    }
    let out = dir.path().join("山田工務店.xlsx");
    let out_arg = out.to_str().unwrap();
    let args = [
        "request",
        "sheet",
        "--partner",
        "山田工務店",
        "--out",
        out_arg,
    ];
    let written = daicho(&db, &args);
    assert!(written.status.success());
    let stdout = String::from_utf8_lossy(&written.stdout);
    assert!(stdout.contains("1 件"), "{stdout}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"), "an .xlsx");
    let refused = daicho(&db, &args);
    assert!(!refused.status.success(), "an existing file is kept");
    let replaced = ok(&daicho_json(&db, &[&args[..], &["--replace"]].concat()));
    assert_eq!(replaced["rows"], 1);
    let unknown = daicho(
        &db,
        &[
            "request",
            "sheet",
            "--partner",
            "鈴木設備",
            "--out",
            out_arg,
        ],
    );
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("協力業者「鈴木設備」"), "{stderr}");
}

/// A ledger with a partner and a staff member, and a request received by
/// `daicho request add`; returns the customer's and the request's ids.
fn received_with_a_partner_and_staff(db: &std::path::Path) -> (i64, String) {
    use daicho_ledger::requests::{ListEntryInput, RequestList};
    use daicho_ledger::{Role, StaffInput};
    let customer = owner(db);
    let mut ledger = Ledger::open(db).unwrap();
    let partner = ListEntryInput {
        id: None,
        name: "丸山板金".into(),
        retired: false,
    };
    ledger
        .save_request_list_entry(RequestList::Partner, &partner)
        .unwrap();
    // The office's first member, its 管理者, whom the CLI acts as.
    let staff = StaffInput {
        id: None,
        name: "佐藤 健一".into(),
        kana: String::new(),
        active: true,
        role: Role::Admin,
    };
    ledger.save_staff(&staff).unwrap();
    drop(ledger);
    let args = [
        "request",
        "add",
        &customer.to_string(),
        "--category",
        "雨漏り",
        "--note",
        "天井にしみ",
    ];
    let added = ok(&daicho_json(db, &args));
    (customer, added["id"].as_i64().unwrap().to_string())
}

#[test]
fn a_request_is_updated_with_its_partner_cost_urgency_due_and_staff() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let (customer, id) = received_with_a_partner_and_staff(&db);
    let due = (local_today() + chrono::Days::new(7)).to_string();
    let updated = ok(&daicho_json(
        &db,
        &[
            "request",
            "update",
            &id,
            "--partner",
            "丸山板金",
            "--cost",
            "38,000円",
            "--urgency",
            "急ぎ",
            "--due",
            &due,
            "--staff",
            "佐藤健一",
        ],
    ));
    assert_eq!(updated["partner"], "丸山板金");
    assert_eq!(updated["cost_yen"], 38000);
    assert_eq!(updated["urgency"], "urgent");
    assert_eq!(updated["due_on"], due.as_str());
    assert_eq!(updated["staff_name"], "佐藤 健一");
    assert_eq!(
        updated["complaint"], "天井にしみ",
        "what was not given stays"
    );
    let history: Vec<String> = Ledger::open(&db)
        .unwrap()
        .customer_history(customer)
        .unwrap()
        .into_iter()
        .map(|h| format!("{}={}", h.field, h.new_value.unwrap_or_default()))
        .collect();
    for expected in [
        "request_partner=丸山板金",
        "request_cost_yen=38000",
        "request_urgency=急ぎ",
    ] {
        assert!(
            history.iter().any(|h| h == expected),
            "{expected}: {history:?}"
        );
    }
    let cleared = ok(&daicho_json(
        &db,
        &["request", "update", &id, "--partner", "", "--cost", ""],
    ));
    assert_eq!(cleared["partner"], serde_json::Value::Null);
    assert_eq!(cleared["cost_yen"], serde_json::Value::Null);
    assert_eq!(cleared["urgency"], "urgent", "what was not given stays");
}

#[test]
fn a_wrong_update_is_named_back_and_an_empty_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let (_, id) = received_with_a_partner_and_staff(&db);
    for (option, value, named) in [
        ("--urgency", "至急", "緊急度「至急」"),
        ("--staff", "田中", "担当者「田中」"),
        ("--partner", "鈴木設備", "協力業者「鈴木設備」"),
        ("--cost", "三万円", "費用は円の金額"),
    ] {
        let refused = daicho(&db, &["request", "update", &id, option, value]);
        assert!(!refused.status.success(), "{option} {value}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(named), "{stderr}");
    }
    let nothing = daicho(&db, &["request", "update", &id]);
    assert!(!nothing.status.success(), "an update names what to change");
    let unchanged = ok(&daicho_json(&db, &["requests"]));
    assert_eq!(unchanged[0]["urgency"], "normal");
    assert_eq!(unchanged[0]["staff_id"], serde_json::Value::Null);
}
