//! The second place for backups, on real files: the ledger in a temporary
//! folder on one device, the second place on another (a tmpfs beside the
//! disk, as a USB drive is beside the PC's own). "Unplugged" is the folder
//! deleted.

use std::path::{Path, PathBuf};

use daicho_ledger::backup::second_place::{Reach, STALE_AFTER_DAYS};
use daicho_ledger::backup::{self, Place};
use daicho_ledger::contacts::local_today;
use daicho_ledger::import::{FileCounts, ImportRecord, RowRef};
use daicho_ledger::settings::SecondPlaceSettings;
use daicho_ledger::*;
use tempfile::TempDir;

/// A ledger on one device and an empty folder on another, or `None` (and a
/// note) where the machine has a single device for temporary files.
struct Disks {
    _ledger_dir: TempDir,
    ledger_path: PathBuf,
    second: TempDir,
}

fn two_disks() -> Option<Disks> {
    let second = tempfile::tempdir().unwrap();
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() || device(shm) == device(second.path()) {
        eprintln!("skipped: no second device for temporary files (/dev/shm)");
        return None;
    }
    let ledger_dir = tempfile::tempdir_in(shm).unwrap();
    Some(Disks {
        ledger_path: ledger_dir.path().join("daicho.sqlite3"),
        _ledger_dir: ledger_dir,
        second,
    })
}

#[cfg(unix)]
fn device(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.dev())
}

#[cfg(not(unix))]
fn device(_path: &Path) -> Option<u64> {
    None
}

fn chosen(folder: &Path, keep: u32) -> SecondPlaceSettings {
    SecondPlaceSettings {
        folder: Some(folder.display().to_string()),
        keep,
    }
}

fn add(ledger: &mut Ledger, family: &str) {
    ledger
        .create_customer(
            &Actor::user(None),
            &CustomerFields {
                family_name: family.into(),
                given_name: "太郎".into(),
                ..Default::default()
            },
        )
        .unwrap();
}

/// The copies the second place holds, by file name, and anything else in it.
fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn seconds(ledger_path: &Path) -> Vec<backup::BackupInfo> {
    backup::list_all(ledger_path)
        .unwrap()
        .into_iter()
        .filter(|b| b.place == Place::Second)
        .collect()
}

#[test]
fn a_copy_is_made_verified_and_listed_in_its_place() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    add(&mut ledger, "山田");
    ledger
        .save_second_place(&chosen(d.second.path(), 14))
        .unwrap();

    let copy = ledger.backup_to_second_place().unwrap();

    assert_eq!(copy.place, Place::Second);
    assert_eq!(Path::new(&copy.path).parent(), Some(d.second.path()));
    // Only the copy: no temporary name, no WAL or shared-memory file.
    assert_eq!(files_in(d.second.path()), vec![copy.file_name.clone()]);
    backup::check_ledger_file(Path::new(&copy.path)).unwrap();
    let status = ledger.second_place_status(local_today()).unwrap();
    assert_eq!(status.reach, Some(Reach::Ready));
    assert_eq!(status.warning, None);
    assert!(status.last_copy_at.is_some());
    assert_eq!(seconds(&d.ledger_path).len(), 1);
}

#[test]
fn the_newest_n_are_kept_and_other_files_left_alone() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    let theirs = d.second.path().join("経理.sqlite3");
    std::fs::write(&theirs, b"not ours").unwrap();
    ledger
        .save_second_place(&chosen(d.second.path(), 3))
        .unwrap();

    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(ledger.backup_to_second_place().unwrap().file_name);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }

    let kept: Vec<String> = seconds(&d.ledger_path)
        .into_iter()
        .map(|b| b.file_name)
        .collect();
    made.reverse();
    assert_eq!(kept, made[..3].to_vec(), "the newest three, newest first");
    assert!(theirs.exists(), "a file the office keeps there is not ours");
}

#[test]
fn an_unplugged_place_warns_and_catches_up_when_plugged_back() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    ledger
        .save_second_place(&chosen(d.second.path(), 14))
        .unwrap();
    let today = local_today();
    assert!(ledger.second_place_if_due(today).unwrap().is_some());
    assert!(
        ledger.second_place_if_due(today).unwrap().is_none(),
        "one start-up copy a day"
    );

    let later = today + chrono::Days::new(STALE_AFTER_DAYS as u64 + 1);
    let stale = ledger.second_place_status(later).unwrap().warning.unwrap();
    assert!(
        stale.starts_with("2か所目のバックアップが3日間できていません"),
        "{stale}"
    );

    // Unplugged: said the same day, with the folder and what to do.
    let folder = d.second.path().to_path_buf();
    std::fs::remove_dir_all(&folder).unwrap();
    let status = ledger.second_place_status(today).unwrap();
    assert_eq!(status.reach, Some(Reach::Missing));
    let missing = status.warning.unwrap();
    assert!(
        missing.contains(&format!("{} が見つかりません", folder.display())),
        "{missing}"
    );
    let refused = ledger.second_place_if_due(later).unwrap_err();
    assert!(refused.to_string().contains("見つかりません"), "{refused}");
    assert!(!folder.exists(), "a missing place is never created");
    let unplugged = ledger.second_place_status(later).unwrap().warning.unwrap();
    assert!(
        unplugged.starts_with(&format!(
            "2か所目のバックアップが3日間できていません（{} が見つかりません）",
            folder.display()
        )),
        "{unplugged}"
    );

    // Plugged back in: the next start copies (stamped by the clock, which
    // is today) and the warning goes.
    std::fs::create_dir(&folder).unwrap();
    assert!(ledger.second_place_if_due(later).unwrap().is_some());
    let caught_up = ledger.second_place_status(today).unwrap();
    assert_eq!(caught_up.warning, None, "{caught_up:?}");
    assert_eq!(seconds(&d.ledger_path).len(), 1, "the new copy");
}

#[test]
fn the_ledgers_own_disk_is_refused() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    let beside = d.ledger_path.parent().unwrap().join("copies");
    std::fs::create_dir(&beside).unwrap();

    let err = ledger.save_second_place(&chosen(&beside, 14)).unwrap_err();

    let LedgerError::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(fields[0].field, "folder");
    assert!(
        fields[0].message.contains("同じディスク"),
        "{}",
        fields[0].message
    );
    assert_eq!(ledger.second_place_settings().unwrap().folder, None);
    assert!(ledger.backup_to_second_place().is_err(), "nothing set");
}

#[test]
fn a_missing_folder_or_a_bad_count_is_refused_when_chosen() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    let gone = d.second.path().join("無い");
    let err = ledger.save_second_place(&chosen(&gone, 0)).unwrap_err();
    let LedgerError::Invalid(fields) = &err else {
        panic!("{err:?}")
    };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["folder", "keep"]);
}

#[test]
fn a_ledger_is_restored_from_the_second_place() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    add(&mut ledger, "山田");
    ledger
        .save_second_place(&chosen(d.second.path(), 14))
        .unwrap();
    let copy = ledger.backup_to_second_place().unwrap();
    add(&mut ledger, "佐藤");
    drop(ledger);

    backup::restore(&d.ledger_path, Path::new(&copy.path)).unwrap();

    let ledger = Ledger::open(&d.ledger_path).unwrap();
    assert_eq!(ledger.stats().unwrap().customers, 1);
    // The replaced ledger (two customers) went to both places first.
    let before: Vec<_> = backup::list_all(&d.ledger_path)
        .unwrap()
        .into_iter()
        .filter(|b| b.file_name.contains("before-restore"))
        .map(|b| b.place)
        .collect();
    assert!(
        before.contains(&Place::Beside) && before.contains(&Place::Second),
        "{before:?}"
    );
    assert!(
        Path::new(&copy.path).exists(),
        "the copy restored from is kept"
    );
}

#[test]
fn an_import_is_preceded_by_a_copy() {
    let Some(d) = two_disks() else { return };
    let mut ledger = Ledger::open(&d.ledger_path).unwrap();
    ledger
        .save_second_place(&chosen(d.second.path(), 14))
        .unwrap();
    let records = [ImportRecord {
        origin: vec![RowRef {
            sheet: "名簿".into(),
            row: 2,
        }],
        fields: CustomerFields {
            family_name: "山田".into(),
            given_name: "太郎".into(),
            ..Default::default()
        },
        members: Vec::new(),
        overwrite: Vec::new(),
    }];
    let counts = FileCounts {
        rows: 1,
        skipped: 0,
        warnings: 0,
    };
    ledger
        .import_records(
            &Actor::user(None),
            "名簿.xlsx",
            &records,
            counts,
            &mut |_, _| true,
        )
        .unwrap();
    let names: Vec<String> = seconds(&d.ledger_path)
        .into_iter()
        .map(|b| b.file_name)
        .collect();
    assert!(
        names.iter().any(|n| n.contains("before-import")),
        "{names:?}"
    );
}

/// The tables that hold the second place.
const WHERE_SECOND_PLACE_IS: &str = "SELECT 'settings' FROM settings WHERE key = 'second_place'
    UNION ALL SELECT 'local_settings' FROM local_settings WHERE key = 'second_place'";

/// Up to version 13 the second place was kept in `settings`; 014 moves it
/// to this PC's own `local_settings`. The copy before that upgrade still
/// finds it, and the upgraded ledger keeps it.
#[test]
fn an_upgrade_is_preceded_by_a_copy() {
    let Some(d) = two_disks() else { return };
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/ledgers/v13.sqlite3"
    );
    std::fs::copy(fixture, &d.ledger_path).unwrap();
    let place = chosen(d.second.path(), 14);
    {
        // The setting as version 13 saved it.
        let conn = rusqlite::Connection::open(&d.ledger_path).unwrap();
        let value = serde_json::to_string(&place).unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('second_place', ?1)",
            [value],
        )
        .unwrap();
    }

    let ledger = Ledger::open(&d.ledger_path).unwrap();

    let names: Vec<String> = seconds(&d.ledger_path)
        .into_iter()
        .map(|b| b.file_name)
        .collect();
    assert!(
        names.iter().any(|n| n.contains("before-v13-upgrade")),
        "{names:?}"
    );
    assert_eq!(ledger.second_place_settings().unwrap(), place);
    let conn = rusqlite::Connection::open(&d.ledger_path).unwrap();
    let tables: Vec<String> = conn
        .prepare(WHERE_SECOND_PLACE_IS)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        tables,
        ["local_settings"],
        "this PC's own, never sent to others"
    );
}
