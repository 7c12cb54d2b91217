//! The CLI acts as a named staff member and is refused, with exit status 3
//! and a message naming who may, what their role may not do; with sign-in
//! on it needs their PIN; what it exports is in the record under their name.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{daicho, daicho_json, json, write_roster};
use sha2::{Digest, Sha256};

/// `daicho --db DB ARGS` with these environment variables.
fn daicho_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DAICHO_PIN")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// 山田 (管理者), 佐藤 (営業), 鈴木 (事務), 高橋 (閲覧のみ), 20 customers.
fn office(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("daicho.sqlite3");
    for (name, role) in [
        ("山田", "管理者"),
        ("佐藤", "営業"),
        ("鈴木", "事務"),
        ("高橋", "閲覧のみ"),
    ] {
        json(&daicho_json(&db, &["staff", "add", name, "--role", role]));
    }
    json(&daicho_json(&db, &["sample", "--count", "20"]));
    db
}

#[test]
fn a_read_only_member_is_refused_an_import_with_status_3_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    let roster = write_roster(dir.path(), "名簿.csv", 5, 4100, "");
    let before = std::fs::read(&db).unwrap();
    let out = daicho(&db, &["--as", "高橋", "import", roster.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("高橋さん（閲覧のみ）"), "{message}");
    assert!(message.contains("名簿の取り込み"), "{message}");
    assert!(message.contains("管理者・事務ができます"), "{message}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the ledger as it was");

    // 事務 may; reads stay open to everyone.
    let imported = json(&daicho_json(
        &db,
        &["--as", "鈴木", "import", roster.to_str().unwrap()],
    ));
    assert_eq!(imported["created"], 5, "{imported}");
    assert!(daicho(&db, &["--as", "高橋", "customers"]).status.success());
    // An unknown name is a plain failure, not a refusal.
    assert_eq!(
        daicho(&db, &["--as", "誰か", "stats"]).status.code(),
        Some(1)
    );
}

#[test]
fn staff_are_listed_with_their_roles_and_only_a_admin_changes_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    let staff = json(&daicho_json(&db, &["staff"]));
    let roles: Vec<(&str, &str)> = staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        roles,
        [
            ("山田", "admin"),
            ("佐藤", "sales"),
            ("鈴木", "office"),
            ("高橋", "read_only")
        ]
    );
    let out = daicho(&db, &["--as", "佐藤", "staff", "role", "高橋", "営業"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("担当者と権限の変更"),
        "{}",
        stderr(&out)
    );
    json(&daicho_json(&db, &["staff", "role", "高橋", "営業"]));
}

#[test]
fn with_sign_in_on_the_pin_is_asked_and_a_wrong_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    for name in ["山田", "佐藤"] {
        let out = daicho_env(&db, &["staff", "pin", name], &[("DAICHO_NEW_PIN", "2468")]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let on = daicho_env(&db, &["--as", "山田", "staff", "sign-in", "on"], &[]);
    assert!(
        on.status.success(),
        "sign-in is still off here: {}",
        stderr(&on)
    );

    // No PIN and no terminal: refused, saying how to give it.
    let out = daicho_env(&db, &["--as", "佐藤", "stats"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("DAICHO_PIN"), "{}", stderr(&out));
    let out = daicho_env(&db, &["--as", "佐藤", "stats"], &[("DAICHO_PIN", "1111")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("PIN が違います"), "{}", stderr(&out));
    let out = daicho_env(&db, &["--as", "佐藤", "stats"], &[("DAICHO_PIN", "2468")]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 鈴木 has no PIN yet: a 管理者 sets it.
    let out = daicho_env(&db, &["--as", "鈴木", "stats"], &[("DAICHO_PIN", "2468")]);
    assert!(
        stderr(&out).contains("PIN がまだ設定されていません"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_dm_list_is_in_the_export_record_under_who_made_it_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    let out_file = dir.path().join("dm.csv");
    let export_as = |name: &str, file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_daicho"))
            .arg("--db")
            .arg(&db)
            .args(["--as", name, "export", "dm", "--all", "--accept"])
            .args(["--format", "csv-utf8", "--out"])
            .arg(file)
            .output()
            .unwrap()
    };
    let exported = export_as("佐藤", &out_file);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let record = json(&daicho_json(&db, &["exports"]));
    let entry = &record[0];
    assert_eq!(entry["staff_name"], "佐藤", "{record}");
    assert_eq!(entry["role"], "営業");
    assert_eq!(entry["kind"], "dm_list");
    assert_eq!(entry["file_name"], "dm.csv");
    let sha = format!("{:x}", Sha256::digest(std::fs::read(&out_file).unwrap()));
    assert_eq!(entry["sha256"], sha.as_str());
    assert!(entry["people"].as_u64().unwrap() > 0);

    // 閲覧のみ exports nothing, and no file appears.
    let refused_file = dir.path().join("refused.csv");
    let refused = export_as("高橋", &refused_file);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(!refused_file.exists());
}
