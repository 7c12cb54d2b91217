//! Backups: SQLite online backups into `backups/` beside the ledger, taken at
//! start when the newest is a day old, before every migration and before a
//! restore. A restore checks its file is a Daichō ledger before it replaces
//! anything.

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
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
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
        target.close().map_err(|(_, e)| classify(e, &tmp))?;
        crate::ledger::make_private(&tmp)?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(LedgerError::io(&tmp))?;
        std::fs::rename(&tmp, dest).map_err(LedgerError::io(dest))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub(crate) fn before_migration(conn: &Connection, ledger_path: &Path, version: i64) -> Result<()> {
    let dest = backup_dir(ledger_path).join(stamped_name(&format!("-before-v{version}-upgrade")));
    copy_live(conn, &dest)
}

/// The backups beside a ledger, newest first.
pub fn list(ledger_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(ledger_path);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<(SystemTime, BackupInfo)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
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
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| b.1.file_name.cmp(&a.1.file_name))
    });
    Ok(found.into_iter().map(|(_, info)| info).collect())
}

fn prune(ledger_path: &Path) -> Result<()> {
    for old in list(ledger_path)?.into_iter().skip(KEEP) {
        std::fs::remove_file(&old.path).map_err(LedgerError::io(&old.path))?;
    }
    Ok(())
}

/// Checks that `path` is a readable Daichō ledger this binary can open,
/// without changing it.
pub fn check_ledger_file(path: &Path) -> Result<()> {
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
            conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?,
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
pub fn restore(ledger_path: &Path, from: &Path) -> Result<()> {
    crate::ledger::ensure_local(ledger_path)?;
    check_ledger_file(from)?;
    if ledger_path.exists() {
        if let Ok(current) =
            Connection::open_with_flags(ledger_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        {
            let dest = backup_dir(ledger_path).join(stamped_name("-before-restore"));
            copy_live(&current, &dest)?;
        }
    }
    let dir = ledger_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
    let tmp = dir.join(".daicho-restore.partial");
    std::fs::copy(from, &tmp).map_err(LedgerError::io(&tmp))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(LedgerError::io(&tmp))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", ledger_path.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(LedgerError::io(&side))?;
        }
    }
    std::fs::rename(&tmp, ledger_path).map_err(LedgerError::io(ledger_path))?;
    prune(ledger_path)
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
