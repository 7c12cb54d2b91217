//! A DM export killed while it writes leaves its staged file (names and
//! addresses) in the folder the user chose; the next start clears it once
//! no export can still own it (issue 15). The kill is real: SIGKILL to a
//! `daicho export` that has its staged file open.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn daicho(data_home: &Path, db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_daicho"));
    command
        .arg("--db")
        .arg(db)
        // The user's own data folder, where exports under way are noted.
        .env("XDG_DATA_HOME", data_home)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn age(path: &Path, by: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn a_killed_export_leaves_no_staged_file_after_the_next_start() {
    let home = tempfile::tempdir().unwrap();
    let chosen = tempfile::tempdir().unwrap();
    let db = home.path().join("daicho.sqlite3");
    let out = chosen.path().join("dm.csv");
    let staged = chosen.path().join(".dm.csv.partial");
    let notes = home.path().join("jp.daicho.ledger/exports-in-progress");
    assert!(daicho(home.path(), &db)
        .args(["sample", "--count", "3000"])
        .status()
        .unwrap()
        .success());

    let mut child = daicho(home.path(), &db)
        .args([
            "export", "dm", "--all", "--accept", "--format", "csv-utf8", "--out",
        ])
        .arg(&out)
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !staged.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_micros(200));
    }
    // SAFETY: killpg only sends a signal; the group is the child's own.
    unsafe { libc::killpg(i32::try_from(child.id()).unwrap(), libc::SIGKILL) };
    child.wait().unwrap();
    assert!(
        staged.exists(),
        "the kill came before the export staged its file"
    );
    assert!(!out.exists());
    assert_eq!(
        files_in(&notes).len(),
        1,
        "the export noted its staged file"
    );

    // Started at once, `daicho` leaves a file an export may still write.
    assert!(daicho(home.path(), &db)
        .arg("stats")
        .status()
        .unwrap()
        .success());
    assert!(staged.exists());

    // Once it is older than any export takes, the next start removes it.
    age(
        &staged,
        daicho_mailing::write::STALE_AFTER + Duration::from_secs(60),
    );
    assert!(daicho(home.path(), &db)
        .arg("stats")
        .status()
        .unwrap()
        .success());
    assert!(
        files_in(chosen.path()).is_empty(),
        "{:?}",
        files_in(chosen.path())
    );
    assert!(files_in(&notes).is_empty());
}
