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

use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{classify, refuse_newer, Ledger};
use crate::store::migrations::APPLICATION_ID;
use crate::sync::spoke::{keep_counting, outbox_counter};

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

/// Where a new backup of `kind` goes in `backups/`, which is made if
/// missing and kept open to its owner only (0700): every copy holds every
/// customer. On Windows the folder inherits the ACL of the user's own
/// profile (%LOCALAPPDATA%), which other users cannot read.
fn new_backup_path(ledger_path: &Path, kind: &str) -> Result<PathBuf> {
    let dir = backup_dir(ledger_path);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(&dir).map_err(LedgerError::io(&dir))?;
        // A folder made by an older version (0755) is closed too.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .map_err(LedgerError::io(&dir))?;
    }
    #[cfg(not(unix))]
    builder.create(&dir).map_err(LedgerError::io(&dir))?;
    Ok(dir.join(stamped_name(kind)))
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
        crate::store::ledger::make_private(&tmp)?;
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
    copy_live(conn, &new_backup_path(ledger_path, &kind)?)?;
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
    ensure_file(path)?;
    check_open(&open_untouched(path)?, path, pragma)
}

fn ensure_file(path: &Path) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    Err(LedgerError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "ファイルがありません"),
    })
}

/// Opens a backup to read it where it lies and change nothing there:
/// `immutable` tells SQLite that no one writes the file, so it takes no
/// lock and makes no -wal or -shm beside it, and a backup on write-protected
/// media (a locked USB stick, a disc) opens. A ledger copied in WAL mode is
/// read without its WAL, as the copy a restore makes of it would be.
fn open_untouched(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(immutable_uri(path), flags).map_err(|e| classify(e, path))
}

/// `path` as an SQLite URI (`file:` with every byte outside the plain
/// characters percent-encoded) opened read-only and immutable. A Windows
/// path turns its backslashes into slashes and keeps its drive or share
/// after `file://`, as SQLite's URI rules state.
fn immutable_uri(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = {
        let text = path.to_string_lossy().replace('\\', "/");
        let drive = text.as_bytes().get(1) == Some(&b':');
        if drive { format!("/{text}") } else { text }.into_bytes()
    };
    let mut uri = String::from(if bytes.first() == Some(&b'/') {
        "file://"
    } else {
        "file:"
    });
    for byte in bytes {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// Reads `conn`'s identity and runs `pragma` over it: a Daichō ledger this
/// binary can open, undamaged.
fn check_open(conn: &Connection, path: &Path, pragma: &str) -> Result<()> {
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
    refuse_newer(path, version)?;
    if check != "ok" {
        return Err(LedgerError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Replaces the ledger at `ledger_path` with the backup `from`. The ledger
/// must not be open, here or in any other program: it is refused while it
/// is (`hold_alone`), and held alone until the new file is in place. The
/// current file is backed up first, and the new one is renamed into place
/// so that a failure leaves the old ledger as it was. The backup may come
/// from a share or read-only media; the ledger it becomes may not live on a
/// share, and is its owner's only (0600) whatever the backup's permissions.
/// `from` may be in either place; it is copied beside the ledger before the
/// current ledger is backed up, so that pruning cannot take it.
pub fn restore(ledger_path: &Path, from: &Path) -> Result<()> {
    crate::store::ledger::ensure_local(ledger_path)?;
    check_ledger_file(from)?;
    let held = hold_alone(ledger_path)?;
    let counted = held.as_ref().and_then(|c| outbox_counter(c).ok());
    let dir = folder_of(ledger_path);
    std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
    let tmp = dir.join(".daicho-restore.partial");
    let result = copy_private(from, &tmp)
        .and_then(|()| back_up_before_restore(held.as_ref(), ledger_path))
        .and_then(|()| swap_in(&tmp, ledger_path, held));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    if let Some(counted) = counted {
        keep_counting_in(ledger_path, counted)?;
    }
    prune(ledger_path)
}

/// Puts the ledger file `incoming` (made beside the ledger) in place of the
/// ledger at `ledger_path`, as a restore does: refused while any program
/// has the ledger open (it would go on writing to the replaced file, and a
/// WAL left beside the new file would be read into it), and held alone
/// until the new file is in place. The current ledger is first copied whole
/// to `kept`, when given (a new file).
pub fn replace_with(ledger_path: &Path, incoming: &Path, kept: Option<&Path>) -> Result<()> {
    let held = hold_alone(ledger_path)?;
    if let (Some(current), Some(kept)) = (&held, kept) {
        copy_new(current, kept)?;
    }
    swap_in(incoming, ledger_path, held)
}

/// A restored ledger of an office's PC numbers its next writes on from
/// where the replaced one stood (`sync::spoke::keep_counting`).
fn keep_counting_in(ledger_path: &Path, counted: i64) -> Result<()> {
    let mut conn = Connection::open(ledger_path).map_err(|e| classify(e, ledger_path))?;
    let has_outbox: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'sync_outbox'",
        [],
        |r| r.get(0),
    )?;
    if has_outbox {
        let tx = conn.transaction()?;
        keep_counting(&tx, counted)?;
        tx.commit()?;
    }
    Ok(())
}

/// The current ledger, opened alone for a restore. A program that has the
/// ledger open (the app, another daicho, any SQLite tool) would go on
/// writing to the replaced file after the swap, and its changes would
/// vanish without a word; in WAL mode every open connection keeps a shared
/// lock on the file, so an exclusive lock fails while any is open (after a
/// second's wait, for a backup thread's read to end). Held, the lock keeps
/// every other program out until the new file is in place. A missing
/// ledger, or one too damaged to lock (what a restore is for, and which no
/// program can be working in), gives `None`.
fn hold_alone(ledger_path: &Path) -> Result<Option<Connection>> {
    let Ok(conn) = Connection::open_with_flags(ledger_path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    else {
        return Ok(None);
    };
    let locked = conn
        .busy_timeout(Duration::from_secs(1))
        .and_then(|()| conn.pragma_update(None, "locking_mode", "EXCLUSIVE"))
        .and_then(|()| conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;"));
    match locked.map_err(|e| classify(e, ledger_path)) {
        Ok(()) => Ok(Some(conn)),
        Err(LedgerError::Locked { path }) => Err(LedgerError::InUse { path }),
        Err(_) => Ok(None),
    }
}

/// Copies `from` to the new file `tmp`, its owner's only from the first
/// byte: the ledger it becomes takes none of the backup's permissions (a
/// file from a USB stick or a share is often 0666).
fn copy_private(from: &Path, tmp: &Path) -> Result<()> {
    // A copy a killed restore left behind.
    let _ = std::fs::remove_file(tmp);
    let mut source = std::fs::File::open(from).map_err(LedgerError::io(from))?;
    let mut target = crate::store::ledger::create_private(tmp).map_err(LedgerError::io(tmp))?;
    std::io::copy(&mut source, &mut target)
        .and_then(|_| target.sync_all())
        .map_err(LedgerError::io(tmp))
}

/// The ledger about to be replaced, beside it (must succeed) and in the
/// second place when it can be reached; read through the connection that
/// holds it alone.
fn back_up_before_restore(held: Option<&Connection>, ledger_path: &Path) -> Result<()> {
    let Some(current) = held else {
        return Ok(());
    };
    let kind = "-before-restore";
    copy_live(current, &new_backup_path(ledger_path, kind)?)?;
    second_place::copy_if_reachable(current, ledger_path, kind);
    Ok(())
}

/// Renames `tmp` over the ledger, ending the hold only once it is in place.
/// The held connection first folds its WAL back into the old file and drops
/// it, so that closing it afterwards touches no name the new ledger uses.
/// Windows renames nothing over an open file (SQLite opens without sharing
/// deletion), so there the hold ends just before the rename, and a program
/// that opens the ledger in between makes the rename fail, not vanish.
/// The -wal and -shm files SQLite keeps beside a ledger in WAL mode.
fn side_files(ledger_path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = ledger_path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn swap_in(tmp: &Path, ledger_path: &Path, mut held: Option<Connection>) -> Result<()> {
    if let Some(conn) = &held {
        conn.pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| classify(e, ledger_path))?;
    }
    if cfg!(windows) {
        drop(held.take());
    }
    for side in side_files(ledger_path) {
        if side.exists() {
            std::fs::remove_file(&side).map_err(LedgerError::io(&side))?;
        }
    }
    std::fs::rename(tmp, ledger_path).map_err(LedgerError::io(ledger_path))?;
    sync_folder(folder_of(ledger_path))?;
    drop(held);
    Ok(())
}

/// Copies the ledger at `from` to the new file `dest` without opening it
/// for use: the way off a share or a synced folder, where `Ledger::open`
/// refuses it. `from` is only read (an older schema stays as it is, and is
/// upgraded when the copy is opened).
pub fn copy_ledger(from: &Path, dest: &Path) -> Result<()> {
    ensure_file(from)?;
    // A ledger no one has open has no -wal or -shm beside it (the last
    // connection removes them): it is read untouched, leaving nothing in the
    // shared or synced folder. One in use is read through its WAL.
    let in_use = side_files(from).iter().any(|side| side.exists());
    let conn = if in_use {
        Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| classify(e, from))?
    } else {
        open_untouched(from)?
    };
    check_open(&conn, from, "quick_check")?;
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
        let dest = new_backup_path(self.path(), "")?;
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
