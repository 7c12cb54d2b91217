//! Backups: SQLite online backups into `backups/` beside the ledger, taken at
//! start when the newest is a day old, before every migration and before a
//! restore. A restore checks its file is a Daichō ledger before it replaces
//! anything. A second place on another disk gets verified copies too
//! (`second_place`).

pub mod second_place;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::error::{LedgerError, Result};
use crate::ledger::{classify, Ledger};
use crate::migrations::{APPLICATION_ID, LATEST_VERSION};

/// How many backups `backups/` keeps.
pub const KEEP: usize = 14;
const EXTENSION: &str = "sqlite3";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct BackupInfo {
    pub file_name: String,
    pub path: String,
    /// RFC 3339, from the file's modification time.
    pub created_at: String,
    pub size_bytes: u32,
    pub place: Place,
}

/// Which of the two places a backup is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// `backups/` beside the ledger.
    Beside,
    /// The second place on another disk.
    Second,
}

pub fn backup_dir(ledger_path: &Path) -> PathBuf {
    ledger_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn stamped_name(kind: &str) -> String {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%.3f");
    format!("daicho-{stamp}{kind}.{EXTENSION}")
}

/// Copies the live database (WAL included) to `dest` through a temporary file
/// that is renamed into place, so `dest` is never half-written.
fn copy_live(conn: &Connection, dest: &Path) -> Result<()> {
    let dir = folder_of(dest);
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
    copy_staged(conn, dest, |_| Ok(()))
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `conn`'s database to a temporary name beside `dest`, lets `verify`
/// judge the closed, synced copy, then renames it into place and syncs the
/// folder, so `dest` is never half-written nor lost to a power cut after
/// the rename. A failed copy leaves nothing behind.
fn copy_staged(
    conn: &Connection,
    dest: &Path,
    verify: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let dir = folder_of(dest);
    let tmp = dir.join(format!(
        ".{}.partial",
        dest.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("backup")
    ));
    let result = (|| -> Result<()> {
        let mut target = Connection::open(&tmp).map_err(|e| classify(e, &tmp))?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        // A copy in rollback mode opens read-only without side files, so
        // checking it (or a restore reading it off a USB drive) leaves none.
        target
            .pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| classify(e, &tmp))?;
        target.close().map_err(|(_, e)| classify(e, &tmp))?;
        crate::ledger::make_private(&tmp)?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(LedgerError::io(&tmp))?;
        verify(&tmp)?;
        std::fs::rename(&tmp, dest).map_err(LedgerError::io(dest))?;
        sync_folder(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes a rename in `dir` durable (POSIX keeps the name in the folder's own
/// data). Windows has no such call for folders; NTFS journals the rename.
fn sync_folder(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(LedgerError::io(dir))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Before an upgrade: a copy beside the ledger, which must succeed, and one
/// to the second place when it can be reached (an unplugged drive must not
/// keep the office out of its ledger; the warning tells them).
pub(crate) fn before_migration(conn: &Connection, ledger_path: &Path, version: i64) -> Result<()> {
    let kind = format!("-before-v{version}-upgrade");
    copy_live(conn, &backup_dir(ledger_path).join(stamped_name(&kind)))?;
    second_place::copy_if_reachable(conn, ledger_path, &kind);
    Ok(())
}

/// The backups beside a ledger, newest first.
pub fn list(ledger_path: &Path) -> Result<Vec<BackupInfo>> {
    Ok(list_in(&backup_dir(ledger_path), Place::Beside, |_| true))
}

/// The backups in both places, newest first: what a restore can choose from.
pub fn list_all(ledger_path: &Path) -> Result<Vec<BackupInfo>> {
    let mut all = list(ledger_path)?;
    all.extend(second_place::list(ledger_path));
    all.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.file_name.cmp(&a.file_name))
    });
    Ok(all)
}

/// The backups in `dir` whose names `ours` accepts, newest first.
fn list_in(dir: &Path, place: Place, ours: impl Fn(&str) -> bool) -> Vec<BackupInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(SystemTime, BackupInfo)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
        .filter(|e| ours(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let modified = meta.modified().ok()?;
            let created_at = chrono::DateTime::<chrono::Utc>::from(modified)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            Some((
                modified,
                BackupInfo {
                    file_name: e.file_name().to_string_lossy().into_owned(),
                    path: e.path().to_string_lossy().into_owned(),
                    created_at,
                    size_bytes: u32::try_from(meta.len()).unwrap_or(u32::MAX),
                    place,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| b.1.file_name.cmp(&a.1.file_name))
    });
    found.into_iter().map(|(_, info)| info).collect()
}

fn prune(ledger_path: &Path) -> Result<()> {
    remove_beyond(list(ledger_path)?, KEEP)
}

/// Removes all but the first `keep` of `newest_first`.
fn remove_beyond(newest_first: Vec<BackupInfo>, keep: usize) -> Result<()> {
    for old in newest_first.into_iter().skip(keep) {
        std::fs::remove_file(&old.path).map_err(LedgerError::io(&old.path))?;
    }
    Ok(())
}

/// Checks that `path` is a readable Daichō ledger this binary can open,
/// without changing it.
pub fn check_ledger_file(path: &Path) -> Result<()> {
    check_with(path, "quick_check")
}

/// `check_ledger_file` with the given SQLite check: `quick_check` before a
/// restore, the slower `integrity_check` (indexes against their tables too)
/// on a fresh copy to the second place.
fn check_with(path: &Path, pragma: &str) -> Result<()> {
    if !path.is_file() {
        return Err(LedgerError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "ファイルがありません"),
        });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| classify(e, path))?;
    let read = || -> rusqlite::Result<(i64, i64, String)> {
        Ok((
            conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?,
        ))
    };
    let (app_id, version, check) = read().map_err(|e| classify(e, path))?;
    if app_id != APPLICATION_ID {
        return Err(LedgerError::NotALedger {
            path: path.to_path_buf(),
        });
    }
    if version > LATEST_VERSION {
        return Err(LedgerError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST_VERSION,
        });
    }
    if check != "ok" {
        return Err(LedgerError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Replaces the ledger at `ledger_path` with the backup `from`. The ledger
/// must not be open. The current file is backed up first, and the new one is
/// renamed into place so that a failure leaves the old ledger as it was.
/// The backup may come from a share; the ledger it becomes may not live on one.
/// `from` may be in either place; it is copied beside the ledger before the
/// current ledger is backed up, so that pruning cannot take it.
pub fn restore(ledger_path: &Path, from: &Path) -> Result<()> {
    crate::ledger::ensure_local(ledger_path)?;
    check_ledger_file(from)?;
    let dir = folder_of(ledger_path);
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
    let tmp = dir.join(".daicho-restore.partial");
    let result = std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
        .map_err(LedgerError::io(&tmp))
        .and_then(|()| back_up_before_restore(ledger_path))
        .and_then(|()| swap_in(&tmp, ledger_path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    prune(ledger_path)
}

/// The ledger about to be replaced, beside it (must succeed) and in the
/// second place when it can be reached.
fn back_up_before_restore(ledger_path: &Path) -> Result<()> {
    if !ledger_path.exists() {
        return Ok(());
    }
    let Ok(current) = Connection::open_with_flags(ledger_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Ok(());
    };
    let kind = "-before-restore";
    copy_live(&current, &backup_dir(ledger_path).join(stamped_name(kind)))?;
    second_place::copy_if_reachable(&current, ledger_path, kind);
    Ok(())
}

fn swap_in(tmp: &Path, ledger_path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", ledger_path.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(LedgerError::io(&side))?;
        }
    }
    std::fs::rename(tmp, ledger_path).map_err(LedgerError::io(ledger_path))?;
    sync_folder(folder_of(ledger_path))
}

/// Copies the ledger at `from` to the new file `dest` without opening it
/// for use: the way off a share or a synced folder, where `Ledger::open`
/// refuses it. `from` is only read (an older schema stays as it is, and is
/// upgraded when the copy is opened).
pub fn copy_ledger(from: &Path, dest: &Path) -> Result<()> {
    check_ledger_file(from)?;
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| classify(e, from))?;
    copy_new(&conn, dest)
}

/// Copies to `dest`, refusing to overwrite an existing file.
fn copy_new(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(LedgerError::Conflict(format!(
            "{} は既に存在します。別のファイル名を指定してください。",
            dest.display()
        )));
    }
    copy_live(conn, dest)
}

impl Ledger {
    /// Writes a backup to `dest`, refusing to overwrite an existing file.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        copy_new(&self.conn, dest)
    }

    /// Takes a backup into `backups/` and keeps the newest `KEEP`.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        let dest = backup_dir(self.path()).join(stamped_name(""));
        copy_live(&self.conn, &dest)?;
        prune(self.path())?;
        list(self.path())?
            .into_iter()
            .find(|b| Path::new(&b.path) == dest)
            .ok_or_else(|| LedgerError::Conflict("バックアップを作成できませんでした。".into()))
    }

    /// The start-up backup: only when the newest backup is a day old or more.
    pub fn backup_if_due(&self) -> Result<Option<BackupInfo>> {
        let newest_age = list(self.path())?.first().and_then(|b| {
            std::fs::metadata(&b.path)
                .ok()?
                .modified()
                .ok()?
                .elapsed()
                .ok()
        });
        match newest_age {
            Some(age) if age < Duration::from_secs(24 * 60 * 60) => Ok(None),
            _ => self.backup_now().map(Some),
        }
    }
}
