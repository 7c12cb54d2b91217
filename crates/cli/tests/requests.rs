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
