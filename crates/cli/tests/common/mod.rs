//! Helpers the CLI's test files share.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `daicho` binary on the ledger at `db`, as an admin runs it.
pub fn daicho(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// `daicho` with `--json` after the arguments, as scripts run it.
pub fn daicho_json(db: &Path, args: &[&str]) -> Output {
    daicho(db, &[args, &["--json"]].concat())
}

/// The JSON of a run that must have succeeded (both streams shown if not).
pub fn ok(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "stdout: {} stderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The JSON a successful run printed (its stderr shown when it failed).
pub fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Writes a CSV roster of `rows` distinct people to `dir/name`. Phone
/// numbers start at 03-`block`… so that rosters of different tests never
/// match each other's people; `note` goes into every row's 備考.
pub fn write_roster(dir: &Path, name: &str, rows: u32, block: u32, note: &str) -> PathBuf {
    let mut csv = String::from("氏名,フリガナ,電話,住所,備考\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "山田 太郎{i},ヤマダ タロウ,03-{:04}-{:04},東京都世田谷区桜新町1-2-{i},{note}\n",
            block + i / 10_000,
            i % 10_000
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    path
}

/// The single number an SQL query returns, read straight from the file.
pub fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// `PRAGMA integrity_check`, read straight from the file.
pub fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}
