//! The ledger's files as the OS sees them (issue 15, found by adversarial
//! testing): a restored ledger and the backups folder are their owner's
//! only, checking a backup leaves nothing beside it and works on read-only
//! media, a zero-byte file is not taken for a new ledger, a damaged page is
//! named with its file, and the OS's failures are told in Japanese.

use std::path::{Path, PathBuf};
use std::process::Command;

use daicho_ledger::{backup, Actor, Coded, CustomerQuery, Ledger, LedgerError};

fn ledger_with_people(dir: &Path, count: u32) -> PathBuf {
    let path = dir.join("daicho.sqlite3");
    let mut ledger = Ledger::open(&path).unwrap();
    ledger.add_sample_data(&Actor::system(), count, 7).unwrap();
    path
}

/// The files in `dir`, by name.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_restored_ledger_is_its_owners_only_whatever_the_backup_allowed() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let path = ledger_with_people(work.path(), 5);
    let copy = work.path().join("usb-copy.sqlite3");
    Ledger::open(&path).unwrap().backup_to(&copy).unwrap();
    // As a copy off a USB stick or a share often is.
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o666)).unwrap();
    // backups/ made by an older version, open to everyone.
    let backups = backup::backup_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o755)).unwrap();

    backup::restore(&path, &copy).unwrap();
    assert_eq!(mode(&path), 0o600, "the restored ledger");
    assert_eq!(mode(&backups), 0o700, "the backups folder");
    for kept in backup::list(&path).unwrap() {
        assert_eq!(mode(Path::new(&kept.path)), 0o600, "{}", kept.file_name);
    }
    let opened = Ledger::open(&path).unwrap();
    assert_eq!(opened.stats().unwrap().customers, 5);
    assert_eq!(mode(&path), 0o600, "and after the app opened it");
}

#[cfg(unix)]
#[test]
fn a_new_backups_folder_is_its_owners_only() {
    let work = tempfile::tempdir().unwrap();
    let path = ledger_with_people(work.path(), 1);
    Ledger::open(&path).unwrap().backup_now().unwrap();
    assert_eq!(mode(&backup::backup_dir(&path)), 0o700);
}

/// A ledger copied as the file it is (WAL mode in its header), as someone
/// copies it to a USB stick by hand, into `dir`.
fn copied_by_hand(path: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("手でコピー.sqlite3");
    std::fs::copy(path, &copy).unwrap();
    copy
}

#[test]
fn checking_a_backup_leaves_nothing_beside_it() {
    let work = tempfile::tempdir().unwrap();
    let path = ledger_with_people(work.path(), 3);
    // Characters an SQLite URI gives a meaning to, spaces and kanji.
    let usb = work.path().join("USB 100%?#&=台帳");
    let copy = copied_by_hand(&path, &usb);

    backup::check_ledger_file(&copy).unwrap();
    assert_eq!(names(&usb), ["手でコピー.sqlite3"], "no -wal or -shm");
    backup::restore(&path, &copy).unwrap();
    assert_eq!(names(&usb), ["手でコピー.sqlite3"], "nor after a restore");
}

/// A tmpfs mounted on a new folder, unmounted when dropped. Needs root.
struct Disk {
    dir: PathBuf,
}

impl Disk {
    fn mount(dir: PathBuf) -> Option<Self> {
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("SKIPPED: mounting a tmpfs needs root; run as root (CI does) to test read-only media");
            return None;
        }
        Some(Self { dir })
    }

    fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_backup_on_read_only_media_restores() {
    let work = tempfile::tempdir().unwrap();
    let path = ledger_with_people(work.path(), 4);
    let Some(disk) = Disk::mount(work.path().join("disc")) else {
        return;
    };
    let copy = copied_by_hand(&path, &disk.dir);
    Ledger::open(&path)
        .unwrap()
        .add_sample_data(&Actor::system(), 2, 8)
        .unwrap();
    disk.read_only();

    backup::check_ledger_file(&copy).unwrap();
    backup::restore(&path, &copy).unwrap();
    assert_eq!(Ledger::open(&path).unwrap().stats().unwrap().customers, 4);
    assert_eq!(names(&disk.dir), ["手でコピー.sqlite3"]);
}

#[test]
fn a_zero_byte_file_is_not_made_a_new_ledger() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();

    let refused = Ledger::open(&empty).err().expect("refused");
    assert_eq!(refused.code(), "ledger_empty");
    let message = refused.to_string();
    assert!(
        message.contains(&empty.display().to_string()) && message.contains("空（0 バイト）"),
        "{message}"
    );
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "left as it was"
    );
    assert_eq!(
        names(work.path()),
        ["empty.sqlite3"],
        "nothing made beside it"
    );

    // Where no file is, a new ledger is made as before.
    let new = work.path().join("new.sqlite3");
    Ledger::open(&new).unwrap();
    assert!(std::fs::metadata(&new).unwrap().len() > 0);
}

/// Overwrites the first page of `table`'s b-tree in the closed ledger at
/// `path` with bytes no page holds.
fn damage_table(path: &Path, table: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(path).unwrap();
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + page_size as usize].fill(0xEE);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_page_is_named_with_its_file() {
    let work = tempfile::tempdir().unwrap();
    let path = ledger_with_people(work.path(), 300);
    damage_table(&path, "customers");

    let ledger = Ledger::open(&path).unwrap();
    // The list reads the customers' rows (the counts come from indexes).
    let today = daicho_ledger::contacts::local_today();
    let error = ledger
        .list_customers(&CustomerQuery::default(), today)
        .unwrap_err()
        .on_file(&path);
    assert_eq!(error.code(), "ledger_corrupt", "{error}");
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("壊れている"),
        "{message}"
    );
    assert!(!message.contains("malformed"), "{message}");
}

#[test]
fn the_os_failures_are_told_in_japanese_with_their_path() {
    use std::io::{Error, ErrorKind};
    let path = PathBuf::from("/media/usb/台帳.sqlite3");
    let told = |kind: ErrorKind| {
        LedgerError::Io {
            path: path.clone(),
            source: Error::from(kind),
        }
        .to_string()
    };
    for (kind, words) in [
        (ErrorKind::NotFound, "ありません"),
        (ErrorKind::PermissionDenied, "権限がありません"),
        (ErrorKind::AlreadyExists, "既にあります"),
        (ErrorKind::StorageFull, "空き容量が足りません"),
        (ErrorKind::ReadOnlyFilesystem, "読み取り専用"),
    ] {
        let message = told(kind);
        assert!(
            message.contains("/media/usb/台帳.sqlite3") && message.contains(words),
            "{kind:?}: {message}"
        );
        assert!(!message.contains("os error"), "{kind:?}: {message}");
    }
    // A real one, as the OS gives it.
    let real = std::fs::File::open("/nonexistent/台帳.sqlite3").unwrap_err();
    let message = LedgerError::Io {
        path: path.clone(),
        source: real,
    }
    .to_string();
    assert!(
        message.contains("ファイルまたはフォルダがありません"),
        "{message}"
    );
    assert!(!message.contains("No such file"), "{message}");
}
