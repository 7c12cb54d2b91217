//! Ids another PC of the office made (issue #19), as `daicho` prints and
//! takes them: `5-1` for the first customer PC 5 added, never the raw
//! number, while `--json` keeps the number for scripts and both are taken.

use std::path::PathBuf;

mod common;
use common::{daicho, json, write_roster};

/// A ledger on the office's PC 5 (as joining the office numbers it).
fn ledger_on_pc_5() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    json(&daicho(&db, &["stats", "--json"]));
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO local_settings (key, value) VALUES ('sync_device', '5')",
            [],
        )
        .unwrap();
    (dir, db)
}

fn text(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn another_pcs_ids_are_printed_and_taken_as_its_number_and_count() {
    let (_dir, db) = ledger_on_pc_5();
    let added = json(&daicho(
        &db,
        &["add", "--family", "山田", "--given", "太郎", "--json"],
    ));
    let raw = added[0]["id"].as_i64().unwrap();
    assert_eq!(raw, (5 << 40) + 1, "--json keeps the number");

    let listed = text(&daicho(&db, &["customers"]));
    assert!(listed.contains("5-1"), "{listed}");
    assert!(!listed.contains(&raw.to_string()), "{listed}");

    for (id, phone) in [
        ("5-1", "03-1111-2222"),
        ("５－１", "03-3333-4444"),
        (&raw.to_string() as &str, "03-5555-6666"),
    ] {
        let updated = json(&daicho(&db, &["update", id, "--phone", phone, "--json"]));
        assert_eq!(updated[0]["phone"], phone, "{id}");
    }

    let refused = daicho(&db, &["update", "5-x", "--phone", "03-1111-2222"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("「5-x」は ID ではありません"), "{said}");
}

#[test]
fn an_import_on_another_pc_is_undone_by_the_number_it_printed() {
    let (dir, db) = ledger_on_pc_5();
    let roster = write_roster(dir.path(), "名簿.csv", 3, 5000, "");
    let said = text(&daicho(&db, &["import", roster.to_str().unwrap()]));
    assert!(
        said.contains("取り込み番号: 5-1（取り消すには: daicho import-undo 5-1）"),
        "{said}"
    );
    let undone = text(&daicho(&db, &["import-undo", "5-1"]));
    assert!(
        undone.contains("取り込み 5-1（名簿.csv）を取り消しました。"),
        "{undone}"
    );
}
