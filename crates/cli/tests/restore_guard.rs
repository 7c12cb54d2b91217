//! `daicho restore` under a running app (issue 15, found by adversarial
//! testing): the restore swapped the file while the app had it open, the
//! app's later edits went to the replaced file and vanished, and every
//! process exited 0. Now the restore is refused, naming why, while any
//! other process has the ledger open, and works once it is closed. Also the
//! CLI's words for an empty file given as the ledger, a damaged page and
//! the OS's failures.

use std::path::Path;
use std::process::Output;

use daicho_ledger::{Actor, CustomerFields, Ledger};
use serde_json::Value;

mod common;
use common::{count, daicho_json as daicho, ok};

/// The `{code, message}` of a refused command.
fn refused(output: &Output) -> (String, String) {
    assert!(
        !output.status.success(),
        "the command should have failed: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        v["code"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

fn customers(db: &Path) -> i64 {
    count(db, "SELECT count(*) FROM customers")
}

fn person(family: &str) -> CustomerFields {
    CustomerFields {
        family_name: family.into(),
        mobile: "090-1111-2222".into(),
        ..Default::default()
    }
}

#[test]
fn restore_is_refused_while_the_app_has_the_ledger_open() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("daicho.sqlite3");
    let backup = work.path().join("朝.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "10"]));
    ok(&daicho(&db, &["backup", "--out", backup.to_str().unwrap()]));
    ok(&daicho(
        &db,
        &["add", "--family", "昼", "--mobile", "090-0000-1111"],
    ));

    // This test's process is the app: it opened the ledger and sits idle.
    let mut app = Ledger::open(&db).unwrap();
    let (code, message) = refused(&daicho(&db, &["restore", backup.to_str().unwrap()]));
    assert_eq!(code, "ledger_in_use", "{message}");
    assert!(
        message.contains(&db.display().to_string())
            && message.contains("他のプログラム")
            && message.contains("復元しませんでした")
            && message.contains("変更が失われる"),
        "{message}"
    );
    assert_eq!(customers(&db), 11, "the ledger is as it was");
    assert!(
        !work.path().join(".daicho-restore.partial").exists(),
        "no copy left behind"
    );

    // The app's next edit lands in the ledger everyone reads.
    app.create_customer(&Actor::user(None), &person("夕方"))
        .unwrap();
    drop(app);
    assert_eq!(ok(&daicho(&db, &["stats"]))["customers"], 12);

    // Closed, the restore goes ahead.
    ok(&daicho(&db, &["restore", backup.to_str().unwrap()]));
    assert_eq!(ok(&daicho(&db, &["stats"]))["customers"], 10);
}

#[test]
fn restore_is_refused_while_another_program_reads_the_ledger() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("daicho.sqlite3");
    let backup = work.path().join("copy.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "3"]));
    ok(&daicho(&db, &["backup", "--out", backup.to_str().unwrap()]));

    // Any SQLite tool with the file open, read-only, not even in a transaction.
    let tool =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let seen: i64 = tool
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seen, 3);
    let (code, _) = refused(&daicho(&db, &["restore", backup.to_str().unwrap()]));
    assert_eq!(code, "ledger_in_use");
    drop(tool);
    ok(&daicho(&db, &["restore", backup.to_str().unwrap()]));
}

#[test]
fn a_zero_byte_file_given_as_the_ledger_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        &["stats"][..],
        &["add", "--family", "空", "--mobile", "090-1"],
    ] {
        let (code, message) = refused(&daicho(&empty, args));
        assert_eq!(code, "ledger_empty", "{message}");
        assert!(
            message.contains(&empty.display().to_string()) && message.contains("空（0 バイト）"),
            "{message}"
        );
    }
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    // A path where no file is still makes a new ledger.
    let new = work.path().join("new.sqlite3");
    assert_eq!(ok(&daicho(&new, &["stats"]))["customers"], 0);
}

#[test]
fn a_list_on_a_damaged_page_names_the_file_in_japanese() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("daicho.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "300"]));
    let (page_size, root): (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        (
            conn.query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap(),
            conn.query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'customers'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + page_size as usize].fill(0xEE);
    std::fs::write(&db, bytes).unwrap();

    // The list reads the customers' rows (`stats` counts from indexes alone).
    let out = daicho(&db, &["customers"]);
    let (code, message) = refused(&out);
    assert_eq!(code, "ledger_corrupt", "{message}");
    assert!(message.contains(&db.display().to_string()), "{message}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("malformed"), "{stderr}");
}

#[test]
fn the_os_failures_reach_the_office_in_japanese() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("daicho.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "2"]));
    // A backup whose destination folder cannot be made: a file has its name.
    let blocker = work.path().join("ファイル");
    std::fs::write(&blocker, "x").unwrap();
    let dest = blocker.join("copy.sqlite3");
    let out = daicho(&db, &["backup", "--out", dest.to_str().unwrap()]);
    let (code, message) = refused(&out);
    assert_eq!(code, "io", "{message}");
    assert!(
        message.contains(&blocker.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("同じ名前のファイルが既にあります") && !message.contains("os error"),
        "{message}"
    );
}
