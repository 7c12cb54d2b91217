//! Opening the ledger file: refusing foreign, corrupt or newer files before
//! anything is written, backing up before a migration, and the connection
//! settings every write relies on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction};
use serde::{Deserialize, Serialize};

use crate::store::access::{may, roles_with, Acting, Need, Session};
use crate::store::error::{LedgerError, Result};
use crate::store::migrations::{migrations, APPLICATION_ID, LATEST_VERSION};
use crate::{store::backup, store::location};

/// Where a write came from, recorded on every change-log row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    User,
    Import,
    Merge,
    System,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Import => "import",
            Self::Merge => "merge",
            Self::System => "system",
        }
    }
}

/// Who is writing: the staff member at the keyboard and the kind of write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: Option<i64>,
    pub source: Source,
    pub batch_id: Option<i64>,
}

impl Actor {
    pub fn user(staff_id: Option<i64>) -> Self {
        Self {
            staff_id,
            source: Source::User,
            batch_id: None,
        }
    }

    pub fn system() -> Self {
        Self {
            staff_id: None,
            source: Source::System,
            batch_id: None,
        }
    }
}

pub struct Ledger {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// Who this connection acts for; set when the ledger opens
    /// (`reference::sign_in`) and by signing in, switching and locking.
    pub(crate) session: Session,
    /// This PC has joined an office: every write is captured for the hub
    /// (`sync::capture`).
    pub(crate) captures: bool,
}

impl Ledger {
    /// Opens (or creates) the store at `path` and brings its schema up to
    /// date. A file that is not a ledger, is corrupt, or was written by a newer
    /// version is refused unchanged; so is a folder on the network or synced
    /// to the cloud, before anything is created there. `Ledger::open`
    /// (`open.rs`) completes it.
    pub(crate) fn open_store(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        ensure_local(&path)?;
        refuse_empty(&path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(LedgerError::io(dir))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(e, &path))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let version = probe(&conn, &path)?;
        if version == 0 {
            // Before WAL mode creates its side files, which take this mode.
            make_private(&path)?;
        }
        if version > 0 && version < LATEST_VERSION {
            backup::before_migration(&conn, &path, version)?;
        }
        configure(&conn).map_err(|e| classify(e, &path))?;
        let mut ledger = Self {
            conn,
            path,
            session: Session::SignedOut,
            captures: false,
        };
        migrations().to_latest(&mut ledger.conn)?;
        if version == 0 {
            ledger
                .conn
                .pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        ledger.captures = crate::sync::spoke::joined(&ledger.conn)?;
        Ok(ledger)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second, read-only connection to the same ledger, to read on another
    /// thread while this one works (WAL lets both run). It keeps SQLite's
    /// default page cache (2 MB): a single pass over every customer need not
    /// hold the pages it has read.
    pub fn reader(&self) -> Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&self.path, flags).map_err(|e| classify(e, &self.path))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(Self {
            conn,
            path: self.path.clone(),
            session: self.session.clone(),
            captures: self.captures,
        })
    }

    /// Runs `work` in one write transaction, as `write`, with the page cache
    /// held to `kib` KiB: a bulk write passes over most pages once, and the
    /// usual cache would keep them all (38 MB more at the peak of a
    /// 100,000-row import, no faster).
    pub(crate) fn write_with_cache<T>(
        &mut self,
        need: Need,
        kib: i64,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        let usual: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -kib)?;
        let done = self.write(need, work);
        self.conn.pragma_update(None, "cache_size", usual)?;
        done
    }

    /// Runs `work` in one IMMEDIATE transaction: every write of the ledger is
    /// all or nothing. `need` is what the write asks of the person acting:
    /// a write their role does not have is refused before anything starts.
    pub fn write<T>(
        &mut self,
        need: Need,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        let staff_id = self.require(need)?.staff_id;
        self.write_recorded(staff_id, work)
    }

    /// A write of office data made without a role check (a person's own
    /// PIN): on a PC that has joined, it is captured for the other PCs all
    /// the same.
    pub(crate) fn write_recorded<T>(
        &mut self,
        staff_id: Option<i64>,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        if self.captures {
            self.write_as_system(|tx| crate::sync::capture::captured(tx, staff_id, work))
        } else {
            self.write_as_system(work)
        }
    }

    /// Refuses what the person acting may not do, naming the roles that
    /// may. An export calls it before it writes its file.
    pub fn require(&self, need: Need) -> Result<&Acting> {
        match &self.session {
            Session::SignedOut => Err(LedgerError::SignedOut),
            Session::Acting(acting, policy) if may(acting.role, need, *policy) => Ok(acting),
            Session::Acting(acting, policy) => {
                Err(acting.refused(need.action(), &roles_with(need, *policy)))
            }
        }
    }

    /// A system write that applies changesets. SQLite's apply keeps one
    /// statement journal for the whole changeset and a savepoint for each
    /// row it replaces; in memory, that journal is truncated from its first
    /// chunk at every release, so replacing 20,000 rows took minutes. In a
    /// temporary file (past 64 KiB) it is not.
    pub(crate) fn write_applying<T>(
        &mut self,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        self.conn.pragma_update(None, "temp_store", "FILE")?;
        let done = self.write_as_system(work);
        self.conn.pragma_update(None, "temp_store", TEMP_STORE)?;
        done
    }

    /// The write itself, for what the ledger does on its own account
    /// (opening: search keys, presets; signing in) and after `require`.
    pub(crate) fn write_as_system<T>(
        &mut self,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(e, &self.path))?;
        // A failure inside the work (disk full half-way through an import)
        // is told the same way as one at BEGIN or COMMIT.
        let value = work(&tx).map_err(|e| match e {
            LedgerError::Sqlite(e) => classify(e, &self.path),
            other => other,
        })?;
        tx.commit().map_err(|e| classify(e, &self.path))?;
        Ok(value)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Refuses a live ledger in a network or cloud-synced folder (see
/// `location`): SQLite's WAL and locks are not safe there.
pub(crate) fn ensure_local(path: &Path) -> Result<()> {
    match location::classify(path).description() {
        None => Ok(()),
        Some(description) => Err(LedgerError::NotLocal {
            path: path.to_path_buf(),
            description: description.to_string(),
        }),
    }
}

/// SQLite takes an empty file for a new database, so a file emptied by a
/// failed copy or a sync tool would silently become an empty ledger. A
/// ledger is created only where no file is. (A new ledger's file is empty
/// only until `configure` writes its header in WAL mode, microseconds after
/// it is made; a kill in between leaves a file the message says to delete.)
fn refuse_empty(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == 0 => Err(LedgerError::Empty {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// A ledger written by a newer version of Daichō is refused unchanged: its
/// schema holds what this version would not keep.
pub(crate) fn refuse_newer(path: &Path, version: i64) -> Result<()> {
    if version > LATEST_VERSION {
        return Err(LedgerError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST_VERSION,
        });
    }
    Ok(())
}

/// Reads the file's identity without writing to it. Returns its schema version.
fn probe(conn: &Connection, path: &Path) -> Result<i64> {
    let read = || -> rusqlite::Result<(i64, i64, i64)> {
        let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok((app_id, version, objects))
    };
    let (app_id, version, objects) = read().map_err(|e| classify(e, path))?;
    if app_id != APPLICATION_ID && (version != 0 || objects > 0 || app_id != 0) {
        return Err(LedgerError::NotALedger {
            path: path.to_path_buf(),
        });
    }
    refuse_newer(path, version)?;
    Ok(version)
}

/// Statement journals (every insert that could fail half-way keeps one)
/// are small and short-lived; in memory they cost no write system calls.
/// Applying changesets is the exception (`write_applying`).
const TEMP_STORE: &str = "MEMORY";

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MB of page cache: the lists and searches of a large ledger read the
    // same pages again and again. Bulk writes hold it smaller
    // (`write_with_cache`).
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.pragma_update(None, "temp_store", TEMP_STORE)?;
    // rarray(): a list of ids bound as one parameter (a mailing's recipients).
    rusqlite::vtab::array::load_module(conn)?;
    // daicho_grams(): the short-search index's tokens, which its triggers
    // (migration 015) make on every connection that writes customers.
    crate::record::search::register_grams(conn)?;
    Ok(())
}

/// Leaves a file of customer data readable and writable by its owner only
/// (SQLite gives its WAL and shared-memory files the same mode). On Windows
/// the file sits in the user's own profile, which other users cannot read.
pub(crate) fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(LedgerError::io(path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the new file `path` for customer data (a copy on its way into
/// place), its owner's only from the first byte, as `make_private` leaves a
/// file that exists. Refuses an existing file.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Turns SQLite's low-level failures into the errors the office can act on.
pub(crate) fn classify(error: rusqlite::Error, path: &Path) -> LedgerError {
    let path = path.to_path_buf();
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            LedgerError::Corrupt { path }
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            LedgerError::Locked { path }
        }
        Some(ErrorCode::DiskFull) => LedgerError::DiskFull { path },
        // After the folder exists, a ledger that cannot be opened is one the
        // user may not write (WAL needs its side files beside it).
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::PermissionDenied)
        | Some(ErrorCode::CannotOpen) => LedgerError::ReadOnly { path },
        _ => LedgerError::Sqlite(error),
    }
}

impl LedgerError {
    /// A failure that SQLite reported as a damaged file, named as the
    /// ledger at `path` (`classify`). Reads are not classified where they
    /// happen (they have no path), so a damaged page that `stats` runs into
    /// would otherwise reach the office as SQLite's English words.
    pub fn on_file(self, path: &Path) -> Self {
        match self {
            Self::Sqlite(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                ) =>
            {
                classify(e, path)
            }
            other => other,
        }
    }
}

/// The current time as stored in the ledger (UTC, RFC 3339, milliseconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The app's identifier; its local data directory holds the ledger.
pub const APP_IDENTIFIER: &str = "jp.daicho.ledger";
pub const LEDGER_FILE_NAME: &str = "daicho.sqlite3";

/// Where the ledger lives when neither `--db` nor `DAICHO_DB` says otherwise:
/// the same local (not roaming) data directory Tauri gives the app.
pub fn default_ledger_path() -> Option<PathBuf> {
    Some(
        dirs::data_local_dir()?
            .join(APP_IDENTIFIER)
            .join(LEDGER_FILE_NAME),
    )
}
