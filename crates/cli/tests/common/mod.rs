//! Helpers the CLI's test files share.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};

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
