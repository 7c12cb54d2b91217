//! Erasure (消去), disclosure (開示) and editing from the command line, run
//! as an admin would run them, checked against the ledger file itself.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::{daicho, json};

/// A refused command: its error code, with the ledger's Japanese message.
fn refused(output: &Output) -> (String, String) {
    assert!(!output.status.success());
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        v["code"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

fn add(db: &Path, args: &[&str]) -> i64 {
    let mut all = vec!["add", "--json"];
    all.extend_from_slice(args);
    json(&daicho(db, &all))[0]["id"].as_i64().unwrap()
}

/// The ledger file and its side files (WAL, shared memory), as bytes.
fn ledger_files(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
        .filter(|p| p.exists())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn holds(bytes: &[u8], text: &str) -> bool {
    let needle = text.as_bytes();
    bytes.windows(needle.len()).any(|w| w == needle)
}

const NAME: [&str; 4] = ["鶺鴒院", "瑠璃子", "セキレイイン", "sekirei@example.jp"];
const PHONES: [&str; 4] = ["090-8642-1357", "09086421357", "03-9753-1864", "0397531864"];

#[test]
fn after_an_erase_neither_name_nor_phone_is_anywhere_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let keep = add(&db, &["--family", "山田", "--phone", "03-1111-2222"]);
    let id = person_with_a_history(&db);
    std::fs::create_dir_all(dir.path().join("backups")).unwrap();
    let old_backup = dir.path().join("backups").join("daicho-old.sqlite3");
    json(&daicho(
        &db,
        &["backup", "--out", old_backup.to_str().unwrap(), "--json"],
    ));
    let before: Vec<u8> = ledger_files(&db).into_iter().flat_map(|(_, b)| b).collect();
    assert!(
        holds(&before, NAME[0]) && holds(&before, PHONES[0]),
        "the test data reached the file"
    );

    let report = erase_with_backup(&db, id);
    assert_nothing_left(&db, dir.path(), id, &report);
    let left = json(&daicho(&db, &["customers", "--json"]));
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["id"], keep);
}

/// The person of `NAME` and `PHONES`, edited: edits leave old values in the
/// change log and old row copies in freed space; a contact and its next
/// action add rows elsewhere. Returns the id.
fn person_with_a_history(db: &Path) -> i64 {
    let id = add(
        db,
        &[
            "--family",
            NAME[0],
            "--given",
            NAME[1],
            "--family-kana",
            NAME[2],
            "--email",
            NAME[3],
            "--mobile",
            PHONES[0],
            "--phone",
            "03-5555-6666",
        ],
    );
    let id_text = id.to_string();
    json(&daicho(
        db,
        &[
            "update",
            &id_text,
            "--phone",
            PHONES[2],
            "--notes",
            "瑠璃子様は平日午後",
            "--json",
        ],
    ));
    json(&daicho(
        db,
        &[
            "contacts",
            "add",
            &id_text,
            "--kind",
            "電話",
            "--note",
            "鶺鴒院様から資料請求",
            "--next",
            "2031-04-01",
            "--next-note",
            "瑠璃子様へ折り返し",
            "--json",
        ],
    ));
    id
}

/// `daicho erase ID --backup`, and the report it prints.
fn erase_with_backup(db: &Path, id: i64) -> Value {
    let id_text = id.to_string();
    let report = json(&daicho(
        db,
        &[
            "erase",
            &id_text,
            "--reason",
            "ご本人からの消去請求",
            "--backup",
            "--json",
        ],
    ));
    assert_eq!(report["erasure"]["erasure"]["customer_id"], id);
    assert_eq!(
        report["erasure"]["erasure"]["reason"],
        "ご本人からの消去請求"
    );
    assert_eq!(report["erasure"]["scrubbed"], true);
    assert_eq!(report["erasure"]["removed"]["contacts"], 1);
    assert_eq!(report["erasure"]["removed"]["tasks"], 1);
    let listed: Vec<&str> = report["erasure"]["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["daicho-old.sqlite3"],
        "the backups that still hold the person"
    );
    report
}

/// Neither the ledger's files nor the fresh backup hold the person, and
/// the tables and search index have no row of them.
fn assert_nothing_left(db: &Path, dir: &Path, id: i64, report: &Value) {
    for (path, bytes) in ledger_files(db) {
        for text in NAME.iter().chain(&PHONES) {
            assert!(
                !holds(&bytes, text),
                "{} still holds {text}",
                path.display()
            );
        }
    }
    let fresh = dir
        .join("backups")
        .join(report["fresh_backup"]["file_name"].as_str().unwrap());
    let fresh = std::fs::read(fresh).unwrap();
    assert!(
        !holds(&fresh, NAME[0]) && !holds(&fresh, PHONES[0]),
        "the fresh backup is clean"
    );

    for table in ["customers", "customer_fts_docsize"] {
        let sql = format!("SELECT count(*) FROM {table} WHERE id = {id}");
        assert_eq!(common::count(db, &sql), 0, "{table}");
    }
    let fts = format!(
        "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"{}\"'",
        NAME[0]
    );
    assert_eq!(common::count(db, &fts), 0);
    assert_eq!(common::integrity(db), "ok");
}

#[test]
fn a_refused_erase_changes_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let id = add(&db, &["--family", "山田"]).to_string();
    let (code, message) = refused(&daicho(&db, &["erase", &id, "--reason", "  ", "--json"]));
    assert_eq!(code, "invalid");
    assert!(message.contains("消去の理由"), "{message}");
    assert_eq!(
        json(&daicho(&db, &["customers", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, message) = refused(&daicho(
        &db,
        &["erase", "999", "--reason", "請求", "--json"],
    ));
    assert_eq!(code, "not_found");
    assert!(message.contains("見つかりません"), "{message}");
}

#[test]
fn disclose_writes_the_workbook_once_and_logs_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let id = add(&db, &["--family", "開示", "--mobile", "090-2718-2818"]).to_string();
    let out = dir.path().join("開示.xlsx");
    let out_text = out.to_str().unwrap();
    json(&daicho(
        &db,
        &["disclose", &id, "--out", out_text, "--json"],
    ));
    assert!(out.is_file());
    let (code, message) = refused(&daicho(
        &db,
        &["disclose", &id, "--out", out_text, "--json"],
    ));
    assert_eq!(code, "file_exists");
    assert!(message.contains("既にあります"), "{message}");
    json(&daicho(
        &db,
        &["disclose", &id, "--out", out_text, "--replace", "--json"],
    ));
    let logged =
        "SELECT count(*) FROM change_log WHERE field = 'disclosed' AND new_value = '開示.xlsx'";
    assert_eq!(common::count(&db, logged), 2);
    let (code, _) = refused(&daicho(
        &db,
        &[
            "disclose",
            "999",
            "--out",
            dir.path().join("x.xlsx").to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(code, "not_found");
    assert!(!dir.path().join("x.xlsx").exists());
}

#[test]
fn update_validates_like_the_app_and_logs_each_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let id = add(&db, &["--family", "山田", "--email", "yamada@example.jp"]).to_string();
    let (code, message) = refused(&daicho(
        &db,
        &[
            "update",
            &id,
            "--email",
            "yamada@",
            "--phone",
            "0312345678",
            "--json",
        ],
    ));
    assert_eq!(code, "invalid");
    assert!(message.contains("メール"), "{message}");
    let unchanged = json(&daicho(&db, &["customers", "--json"]));
    assert_eq!(
        unchanged[0]["email"], "yamada@example.jp",
        "a refused edit writes nothing"
    );

    let updated = json(&daicho(
        &db,
        &[
            "update",
            &id,
            "--phone",
            "0312345678",
            "--postal-code",
            "1540015",
            "--address",
            "東京都世田谷区桜新町1-2-3",
            "--building",
            "コーポ桜101",
            "--status",
            "商談中",
            "--dm-opt-out",
            "--json",
        ],
    ));
    let c = &updated[0];
    assert_eq!(c["phone"], "03-1234-5678");
    assert_eq!(c["postal_code"], "154-0015");
    assert_eq!(
        (c["city"].as_str(), c["address2"].as_str()),
        (Some("世田谷区"), Some("コーポ桜101"))
    );
    assert_eq!(c["status"], "商談中");
    assert_eq!(c["dm_opt_out"], true);
    assert_eq!(c["email"], "yamada@example.jp", "fields not given stay");
    let logged = "SELECT count(*) FROM change_log WHERE source = 'user' AND field IN ('phone', 'dm_opt_out', 'status_id')";
    assert_eq!(common::count(&db, logged), 3);
    let back = json(&daicho(&db, &["update", &id, "--dm-opt-in", "--json"]));
    assert_eq!(back[0]["dm_opt_out"], false);
}
