//! Faults an office PC really has: a full disk, a folder that cannot be
//! written, and the ledger held by another program. Each gives a clear
//! Japanese message and a non-zero exit, loses nothing, and once the fault
//! is gone the same ledger works again.
//!
//! A full disk and a read-only folder are real file systems: a small tmpfs,
//! remounted read-only, which needs root (CI runs as root). Without root
//! those two tests say so and stop.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{count, daicho_json as daicho, integrity, ok, write_roster};

const MAILINGS: &str = "SELECT count(*) FROM mailings";

/// The `{code, message}` of a refused command.
fn refused(output: &Output) -> (String, String) {
    assert!(!output.status.success(), "the command should have failed");
    let v: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {} / {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (
        v["code"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Customers, status moves and change-log rows: what a lost write would lose.
fn contents(db: &Path) -> (i64, i64, i64, String) {
    (
        count(db, "SELECT count(*) FROM customers"),
        count(db, "SELECT count(*) FROM status_history"),
        count(db, "SELECT count(*) FROM change_log"),
        integrity(db),
    )
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped.
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    fn mount(parent: &Path, size: &str) -> Option<Self> {
        let dir = parent.join("disk");
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("SKIPPED: mounting a tmpfs needs root; run as root (CI does) to test a full or read-only disk");
            return None;
        }
        Some(Self { dir })
    }

    fn remount(&self, option: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{option}")])
            .arg(&self.dir)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Fills the disk but for `free` bytes.
    fn fill_leaving(&self, free: u64) -> PathBuf {
        let filler = self.dir.join("filler.bin");
        let stat = nix_free_bytes(&self.dir);
        let size = stat.saturating_sub(free);
        std::fs::write(&filler, vec![0u8; size as usize]).unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

fn nix_free_bytes(dir: &Path) -> u64 {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_full_disk_refuses_the_import_and_the_export_and_loses_nothing() {
    let work = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(work.path(), "24m") else {
        return;
    };
    let db = disk.dir.join("daicho.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "40"]));
    let before = contents(&db);
    let filler = disk.fill_leaving(256 * 1024);

    // The import needs far more than the 256 KB left.
    let roster = write_roster(
        work.path(),
        "roster.csv",
        3000,
        4000,
        &"昔の名簿から。".repeat(8),
    );
    let (code, message) = refused(&daicho(&db, &["import", roster.to_str().unwrap()]));
    assert_eq!(code, "disk_full", "{message}");
    assert!(message.contains("空き容量"), "{message}");
    assert_eq!(contents(&db), before, "the ledger lost or gained rows");

    // A DM list written onto the full disk: refused, the old list kept, no
    // half file, no mailing recorded.
    let old_list = disk.dir.join("dm.xlsx");
    std::fs::write(&old_list, b"last month").unwrap();
    let ledger_elsewhere = work.path().join("ledger.sqlite3");
    std::fs::copy(&db, &ledger_elsewhere).unwrap();
    let _ = std::fs::copy(
        db.with_extension("sqlite3-wal"),
        work.path().join("ledger.sqlite3-wal"),
    );
    ok(&daicho(
        &ledger_elsewhere,
        &["sample", "--count", "3000", "--seed", "2"],
    ));
    std::fs::write(&filler, b"").unwrap();
    disk.fill_leaving(16 * 1024);
    let (code, message) = refused(&daicho(
        &ledger_elsewhere,
        &[
            "export",
            "dm",
            "--all",
            "--accept",
            "--replace",
            "--out",
            old_list.to_str().unwrap(),
        ],
    ));
    assert_eq!(code, "write_failed", "{message}");
    assert!(message.contains("dm.xlsx"), "{message}");
    assert_eq!(file_bytes(&old_list), b"last month");
    let leftovers: Vec<_> = std::fs::read_dir(&disk.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dm.xlsx") && n != "dm.xlsx")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(count(&ledger_elsewhere, MAILINGS), 0);

    // Space again: the same ledger takes the same import.
    std::fs::remove_file(&filler).unwrap();
    let done = ok(&daicho(&db, &["import", roster.to_str().unwrap()]));
    assert_eq!(done["created"], 3000, "{done}");
    assert_eq!(contents(&db).3, "ok");
}

#[test]
fn a_read_only_folder_is_refused_with_a_clear_message() {
    let work = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(work.path(), "8m") else {
        return;
    };
    let db = disk.dir.join("daicho.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "30"]));
    let before = contents(&db);
    let elsewhere = work.path().join("elsewhere.sqlite3");
    ok(&daicho(&elsewhere, &["sample", "--count", "30"]));
    disk.remount("ro");

    let (code, message) = refused(&daicho(
        &db,
        &["add", "--family", "新規", "--mobile", "090-9999-0000"],
    ));
    assert_eq!(code, "ledger_read_only", "{message}");
    assert!(message.contains("読み取り専用"), "{message}");
    let (code, message) = refused(&daicho(
        &elsewhere,
        &[
            "export",
            "dm",
            "--all",
            "--accept",
            "--out",
            disk.dir.join("dm.xlsx").to_str().unwrap(),
        ],
    ));
    assert!(
        code == "write_failed" || code == "empty_list",
        "{code}: {message}"
    );

    disk.remount("rw");
    assert_eq!(contents(&db), before);
    ok(&daicho(
        &db,
        &["add", "--family", "新規", "--mobile", "090-9999-0000"],
    ));
    assert_eq!(contents(&db).0, before.0 + 1);
}

#[test]
fn a_ledger_held_by_another_program_is_refused_then_works() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("daicho.sqlite3");
    ok(&daicho(&db, &["sample", "--count", "20"]));
    let before = contents(&db);
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    let (code, message) = refused(&daicho(
        &db,
        &["add", "--family", "待ち", "--mobile", "090-8888-0000"],
    ));
    assert_eq!(code, "ledger_locked", "{message}");
    assert!(message.contains("他のプログラムが使用中"), "{message}");
    // Reading goes on while another program writes (WAL).
    assert_eq!(ok(&daicho(&db, &["stats"]))["customers"], before.0);

    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    assert_eq!(contents(&db), before);
    ok(&daicho(
        &db,
        &["add", "--family", "待ち", "--mobile", "090-8888-0000"],
    ));
    assert_eq!(contents(&db).0, before.0 + 1);
}
