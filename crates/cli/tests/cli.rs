//! The `daicho` binary run as an admin or a script would run it.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{daicho, json};

#[test]
fn add_then_find_by_phone_digits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    json(&daicho(
        &db,
        &[
            "add",
            "--family",
            "山田",
            "--given",
            "太郎",
            "--family-kana",
            "やまだ",
            "--mobile",
            "090-1234-5678",
            "--postal-code",
            "1540015",
            "--address",
            "東京都世田谷区桜新町1-2-3",
            "--building",
            "コーポ桜101",
            "--status",
            "商談中",
            "--json",
        ],
    ));
    let found = json(&daicho(
        &db,
        &["customers", "--search", "09012345678", "--json"],
    ));
    let list = found.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(c["family_kana"], "ヤマダ");
    assert_eq!(c["postal_code"], "154-0015");
    assert_eq!(
        (
            c["prefecture"].as_str(),
            c["city"].as_str(),
            c["address1"].as_str(),
            c["address2"].as_str()
        ),
        (
            Some("東京都"),
            Some("世田谷区"),
            Some("桜新町1-2-3"),
            Some("コーポ桜101")
        )
    );
    assert_eq!(c["status"], "商談中");
    assert_eq!(c["birthday"], Value::Null);
    assert_eq!(c["dm_opt_out"], false);
    assert!(c["labels"].as_array().unwrap().is_empty());
    for key in [
        "id",
        "given_name",
        "given_kana",
        "honorific",
        "company",
        "phone",
        "email",
        "grade",
    ] {
        assert!(c.get(key).is_some(), "missing {key}");
    }
    assert!(
        json(&daicho(&db, &["customers", "--search", "ﾔﾏﾀﾞ", "--json"]))
            .as_array()
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn stats_lists_every_status_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    json(&daicho(&db, &["add", "--family", "鈴木", "--json"]));
    let stats = json(&daicho(&db, &["stats", "--json"]));
    assert_eq!(stats["customers"], 1);
    let by_status = stats["by_status"].as_array().unwrap();
    assert_eq!(
        by_status[0],
        serde_json::json!({"status": "見学会からの新規引合い", "count": 1})
    );
    assert_eq!(by_status.len(), 10);
    assert_eq!(by_status[9]["status"], "停止");
}

#[test]
fn bad_input_exits_non_zero_with_a_japanese_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let out = daicho(
        &db,
        &[
            "add",
            "--family",
            "山田",
            "--postal-code",
            "12-34",
            "--json",
        ],
    );
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "invalid");
    assert_eq!(err["fields"][0]["field"], "postal_code");
    assert!(String::from_utf8_lossy(&out.stderr).contains("郵便番号"));
    assert_eq!(json(&daicho(&db, &["stats", "--json"]))["customers"], 0);
}

#[test]
fn backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let copy = dir.path().join("copy.sqlite3");
    json(&daicho(&db, &["add", "--family", "残る", "--json"]));
    json(&daicho(
        &db,
        &["backup", "--out", copy.to_str().unwrap(), "--json"],
    ));
    assert!(
        !daicho(&db, &["backup", "--out", copy.to_str().unwrap()])
            .status
            .success(),
        "never overwrites"
    );
    json(&daicho(&db, &["add", "--family", "消える", "--json"]));
    json(&daicho(&db, &["restore", copy.to_str().unwrap(), "--json"]));
    let all = json(&daicho(&db, &["customers", "--json"]));
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["family_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["残る"]);

    let not_ledger = dir.path().join("photo.sqlite3");
    std::fs::write(&not_ledger, b"\x89PNG not a ledger").unwrap();
    let out = daicho(&db, &["restore", not_ledger.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("壊れて")
            || String::from_utf8_lossy(&out.stderr).contains("台帳のファイルではありません")
    );
}

#[test]
fn import_reports_counts_and_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let roster = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/rosters/roster_messy.xlsx");
    let dry = json(&daicho(
        &db,
        &["import", roster.to_str().unwrap(), "--dry-run", "--json"],
    ));
    assert_eq!(dry["batch"], Value::Null);
    assert_eq!(
        json(&daicho(&db, &["stats", "--json"]))["customers"],
        0,
        "a dry run writes nothing"
    );
    let report = json(&daicho(
        &db,
        &["import", roster.to_str().unwrap(), "--json"],
    ));
    assert_eq!(report["created"], 400);
    assert_eq!(report["merged"], 32);
    assert_eq!(report["skipped_rows"][0]["row"], 438);
    for key in ["file", "rows", "skipped", "warnings", "batch"] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    let batch = report["batch"].as_i64().unwrap().to_string();
    json(&daicho(&db, &["import-undo", &batch, "--json"]));
    assert_eq!(json(&daicho(&db, &["stats", "--json"]))["customers"], 0);
}

#[test]
fn a_refused_file_exits_non_zero_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let fake = dir.path().join("写真.xlsx");
    std::fs::write(&fake, b"\x89PNG\r\n\x1a\n").unwrap();
    let out = daicho(&db, &["import", fake.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "roster_corrupt");
    assert!(err["message"].as_str().unwrap().contains("写真.xlsx"));
}

/// Killing the process during an import leaves the ledger exactly as it was
/// before (or, if the kill came after the commit, with the whole import):
/// never a half import, never a damaged file.
#[test]
fn a_killed_import_leaves_the_ledger_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    json(&daicho(
        &db,
        &[
            "add",
            "--family",
            "既存",
            "--mobile",
            "090-0000-0001",
            "--json",
        ],
    ));
    let rows: u64 = 30_000;
    let roster = common::write_roster(dir.path(), "big.csv", rows as u32, 2000, "");
    let mut interrupted = 0;
    for delay_ms in [300u64, 900, 1500, 2500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_daicho"))
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&roster)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let conn = rusqlite_check(&db);
        assert_eq!(conn.0, "ok", "integrity after a kill at {delay_ms} ms");
        let customers = json(&daicho(&db, &["stats", "--json"]))["customers"]
            .as_u64()
            .unwrap();
        if finished {
            assert_eq!(customers, rows + 1);
            json(&daicho(
                &db,
                &["import-undo", &conn.1.to_string(), "--json"],
            ));
        } else {
            assert!(
                customers == 1 || customers == rows + 1,
                "half an import: {customers}"
            );
            if customers == 1 {
                interrupted += 1;
            } else {
                json(&daicho(
                    &db,
                    &["import-undo", &conn.1.to_string(), "--json"],
                ));
            }
        }
    }
    assert!(interrupted > 0, "no kill landed during an import");
}

/// `PRAGMA integrity_check` and the newest import batch not yet undone,
/// read straight from the file.
fn rusqlite_check(db: &Path) -> (String, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let newest: i64 = conn
        .query_row(
            "SELECT coalesce(max(id), 0) FROM import_batches WHERE undone_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (check, newest)
}

#[test]
fn export_dm_reports_rows_and_exclusions_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let roster = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/rosters/roster_basic.xlsx");
    json(&daicho(
        &db,
        &["import", roster.to_str().unwrap(), "--json"],
    ));
    let out = dir.path().join("dm.xlsx");
    let report = json(&daicho(
        &db,
        &[
            "export",
            "dm",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(report["rows"], 248, "the truth file's dm_list_rows");
    assert_eq!(report["households_merged"], 10);
    assert_eq!(report["excluded"]["dm_opt_out"], 13);
    assert_eq!(report["excluded"]["status_no_dm"], 29);
    assert_eq!(report["file"], out.to_str().unwrap());
    let before = std::fs::read(&out).unwrap();
    let again = daicho(
        &db,
        &[
            "export",
            "dm",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(!again.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let missing = daicho(
        &db,
        &[
            "export",
            "dm",
            "--segment",
            "存在しない",
            "--out",
            dir.path().join("x.xlsx").to_str().unwrap(),
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("存在しない"));
    assert_eq!(
        json(&daicho(&db, &["segments", "--json"])),
        serde_json::json!([])
    );
}

#[test]
fn today_lists_follow_ups_and_a_logged_contact_clears_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let added = json(&daicho(
        &db,
        &["add", "--family", "今日", "--phone", "0312345678", "--json"],
    ));
    let id = added[0]["id"].as_i64().unwrap();
    let id_text = id.to_string();
    let today = json(&daicho(&db, &["today", "--json"]));
    let ungraded: Vec<&Value> = today["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "ungraded")
        .collect();
    assert_eq!(ungraded.len(), 1);
    assert_eq!(ungraded[0]["customer_id"], id);
    assert_eq!(today["totals"]["next_action"], 0);

    let on = today["on"].as_str().unwrap().to_string();
    json(&daicho(
        &db,
        &[
            "contacts",
            "add",
            &id_text,
            "--kind",
            "来場",
            "--note",
            "完成見学会にご来場",
            "--next",
            &on,
            "--next-note",
            "資金計画の電話",
            "--json",
        ],
    ));
    let today = json(&daicho(&db, &["today", "--json"]));
    let due: Vec<&Value> = today["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "next_action")
        .collect();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0]["customer_id"].as_i64(), due[0]["detail"].as_str()),
        (Some(id), Some("資金計画の電話"))
    );

    json(&daicho(
        &db,
        &["contacts", "add", &id_text, "--kind", "電話", "--json"],
    ));
    let today = json(&daicho(&db, &["today", "--json"]));
    assert_eq!(today["totals"]["next_action"], 0);
    let logged = json(&daicho(&db, &["contacts", "list", &id_text, "--json"]));
    assert_eq!(logged.as_array().unwrap().len(), 2);

    let refused = daicho(
        &db,
        &["contacts", "add", &id_text, "--kind", "FAX", "--json"],
    );
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stdout).to_string()
        + &String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("対応の種類「FAX」はありません"),
        "{message}"
    );
}
