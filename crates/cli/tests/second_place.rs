//! `daicho backup --to-second-place` and `daicho backups` on real files: the
//! ledger on one device (a tmpfs), the second place on another (the
//! temporary folder's disk), unplugged by deleting the folder.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use daicho_ledger::settings::SecondPlaceSettings;
use daicho_ledger::Ledger;
use serde_json::Value;

fn daicho(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {} / {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A ledger whose second place is set, on two devices; `None` (and a note)
/// where temporary files have only one.
fn ledger_with_second_place() -> Option<(tempfile::TempDir, PathBuf, tempfile::TempDir)> {
    use std::os::unix::fs::MetadataExt;
    let second = tempfile::tempdir().unwrap();
    let shm = Path::new("/dev/shm");
    let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    if !shm.is_dir() || dev(shm) == dev(second.path()) {
        eprintln!("skipped: no second device for temporary files (/dev/shm)");
        return None;
    }
    let dir = tempfile::tempdir_in(shm).unwrap();
    let db = dir.path().join("daicho.sqlite3");
    Ledger::open(&db)
        .unwrap()
        .save_second_place(&SecondPlaceSettings {
            folder: Some(second.path().display().to_string()),
            keep: 14,
        })
        .unwrap();
    Some((dir, db, second))
}

#[test]
fn a_copy_goes_to_the_second_place_and_both_places_are_listed() {
    let Some((_dir, db, second)) = ledger_with_second_place() else {
        return;
    };

    let made = daicho(&db, &["backup", "--to-second-place"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stdout)
    );
    let file = json(&made)["file"].as_str().unwrap().to_string();
    assert_eq!(Path::new(&file).parent(), Some(second.path()));

    // One beside the ledger too (the one a restore takes first).
    let restored = daicho(&db, &["restore", &file]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stdout)
    );

    let listed = json(&daicho(&db, &["backups"]));
    let places: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["place"].as_str().unwrap())
        .collect();
    assert!(
        places.contains(&"beside") && places.contains(&"second"),
        "{listed}"
    );
    for b in listed.as_array().unwrap() {
        assert!(b["size_bytes"].as_u64().unwrap() > 0, "{b}");
        assert!(b["created_at"].as_str().unwrap().len() >= 20, "{b}");
    }
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["path"] == file.as_str()),
        "{listed}"
    );
}

#[test]
fn an_unplugged_second_place_is_refused_with_what_to_do() {
    let Some((_dir, db, second)) = ledger_with_second_place() else {
        return;
    };
    let folder = second.path().to_path_buf();
    std::fs::remove_dir_all(&folder).unwrap();

    let refused = daicho(&db, &["backup", "--to-second-place"]);

    assert!(!refused.status.success());
    let message = json(&refused)["message"].as_str().unwrap().to_string();
    assert!(
        message.contains(&format!("{} が見つかりません", folder.display())),
        "{message}"
    );
    assert!(message.contains("USBメモリ"), "{message}");
    assert!(!folder.exists(), "a missing place is never created");
}
