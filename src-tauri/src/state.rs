//! The open ledger behind every command, and the error it could not be
//! opened with (so the UI can offer a backup instead of a blank window).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use daicho_ledger::{Actor, Ledger, LedgerError};
use daicho_roster::PlanCache;
use daicho_sync::office::Office;
use daicho_sync::worker::{self, SyncInfo, SyncStatus, Worker};

use crate::office::{hub_file, start_serving, Serving};

use crate::error::{CmdResult, CommandError};

pub struct AppState {
    /// Changes only when a ledger refused on a share is copied to this PC.
    path: Mutex<PathBuf>,
    /// Set by the cancel button; read by a running import between rows.
    pub cancel_import: AtomicBool,
    /// The roster plan the import preview showed, for its commit.
    pub import_plans: Mutex<PlanCache>,
    ledger: Mutex<Option<Ledger>>,
    open_error: Mutex<Option<CommandError>>,
    /// Syncing with the office hub on its own connection, while this
    /// ledger is one of an office's several PCs.
    sync: Mutex<Option<Worker>>,
    /// The office hub, when this PC is it (`office.rs`).
    hub: Mutex<Option<Serving>>,
}

impl AppState {
    /// Opens the ledger and starts the daily backup. A failure to open is
    /// kept for the UI rather than ending the app.
    pub fn open(path: PathBuf) -> Self {
        let state = Self {
            path: Mutex::new(path),
            cancel_import: AtomicBool::new(false),
            import_plans: Mutex::new(PlanCache::default()),
            ledger: Mutex::new(None),
            open_error: Mutex::new(None),
            sync: Mutex::new(None),
            hub: Mutex::new(None),
        };
        state.reopen();
        state.serve_if_hub();
        state
    }

    pub fn path(&self) -> PathBuf {
        self.path.lock().expect("path lock").clone()
    }

    /// Opens the ledger at `path` from now on (the copy on this PC of one
    /// refused on a share).
    pub fn open_at(&self, path: PathBuf) {
        *self.path.lock().expect("path lock") = path;
        self.reopen();
    }

    pub fn reopen(&self) {
        self.stop_sync();
        let opened = Ledger::open(self.path());
        if let Ok(ledger) = &opened {
            // On its own connection beside the window: a large ledger's copy
            // takes seconds (2.6 s at 100,000 customers) that the first
            // screen should not wait for. WAL lets both read at once.
            let backup = ledger.reader();
            std::thread::spawn(move || {
                let Ok(backup) = backup
                    .inspect_err(|e| eprintln!("日次バックアップを作成できませんでした: {e}"))
                else {
                    return;
                };
                if let Err(e) = backup.backup_if_due() {
                    eprintln!("日次バックアップを作成できませんでした: {e}");
                }
                // Then the second place (a USB drive, a NAS): one left
                // unplugged is only logged here; Today and Settings say it.
                let today = daicho_ledger::contacts::local_today();
                if let Err(e) = backup.second_place_if_due(today) {
                    eprintln!("2か所目のバックアップを作成できませんでした: {e}");
                }
            });
        }
        let (ledger, error) = match opened {
            Ok(ledger) => (Some(ledger), None),
            Err(e) => (None, Some(CommandError::from(e))),
        };
        let opened = ledger.is_some();
        *self.ledger.lock().expect("ledger lock") = ledger;
        *self.open_error.lock().expect("error lock") = error;
        if opened {
            self.start_sync();
        }
    }

    /// Syncs in the background; starts only when this ledger has joined
    /// an office.
    pub fn start_sync(&self) {
        *self.sync.lock().expect("sync lock") = Worker::start(self.path(), worker::EVERY);
    }

    /// Serves the office hub when this PC is it (its file beside the
    /// ledger). A hub that cannot serve (its port taken) is told in the log;
    /// the PCs work on offline.
    fn serve_if_hub(&self) {
        let hub = hub_file(&self.path());
        if !hub.exists() {
            return;
        }
        match start_serving(&hub) {
            Ok(serving) => self.set_serving(serving),
            Err(e) => eprintln!("親機を始められませんでした: {}", e.message),
        }
    }

    pub fn set_serving(&self, serving: Serving) {
        *self.hub.lock().expect("hub lock") = Some(serving);
    }

    /// The hub serving here and the address the other PCs use.
    pub fn serving(&self) -> Option<(Arc<Office>, String)> {
        self.hub
            .lock()
            .expect("hub lock")
            .as_ref()
            .map(|s| (s.office.clone(), s.served.url.clone()))
    }

    pub fn serving_url(&self) -> Option<String> {
        self.serving().map(|(_, url)| url)
    }

    /// Stops syncing (before the file is replaced or reopened).
    pub fn stop_sync(&self) {
        drop(self.sync.lock().expect("sync lock").take());
    }

    /// Where this PC stands with the office hub.
    pub fn sync_info(&self) -> SyncInfo {
        self.sync.lock().expect("sync lock").as_ref().map_or(
            SyncInfo {
                status: SyncStatus::Idle,
                arrivals: 0,
            },
            Worker::info,
        )
    }

    pub fn open_error(&self) -> Option<CommandError> {
        self.open_error.lock().expect("error lock").clone()
    }

    /// Runs `work` on the open ledger: a read, or a write that records no
    /// staff member (settings, segments, lists). Refused while nobody is
    /// signed in: a locked app shows no customer.
    pub fn on_ledger<T, E: Into<CommandError>>(
        &self,
        work: impl FnOnce(&mut Ledger) -> Result<T, E>,
    ) -> CmdResult<T> {
        self.signing_in(|ledger| {
            if ledger.acting().is_none() {
                return Err(LedgerError::SignedOut.into());
            }
            work(ledger).map_err(Into::into)
        })
    }

    /// Runs `work` on the open ledger whether or not anyone is signed in:
    /// only for signing in and what the sign-in screen shows.
    pub fn signing_in<T, E: Into<CommandError>>(
        &self,
        work: impl FnOnce(&mut Ledger) -> Result<T, E>,
    ) -> CmdResult<T> {
        let mut guard = self.ledger.lock().expect("ledger lock");
        let ledger = guard.as_mut().ok_or_else(CommandError::ledger_closed)?;
        work(ledger).map_err(Into::into)
    }

    /// Runs `work` on the open ledger as the staff member now working (the
    /// one chosen in the header), for writes the change log records.
    pub fn as_current_staff<T, E: Into<CommandError>>(
        &self,
        work: impl FnOnce(&mut Ledger, &Actor) -> Result<T, E>,
    ) -> CmdResult<T> {
        self.on_ledger(|ledger| {
            let actor = ledger.current_actor()?;
            work(ledger, &actor).map_err(Into::into)
        })
    }

    /// Closes the ledger for `work` (a restore replaces the file), then opens
    /// it again whatever happened, and the person who did it carries on
    /// (their right to do it was checked before).
    pub fn closed<T, E: Into<CommandError>>(
        &self,
        work: impl FnOnce() -> Result<T, E>,
    ) -> CmdResult<T> {
        let acting = self.on_ledger(|l| Ok::<_, LedgerError>(l.acting().cloned()))?;
        let result = self.replaced(work);
        if let Some(acting) = acting {
            let _ = self.signing_in(|l| l.carry_on_as(&acting));
        }
        result
    }

    /// Closes the ledger for `work` that puts another ledger in its place
    /// (joining an office), then opens what is there as any start would:
    /// the person acting in the old file means nothing in the new one.
    pub fn replaced<T, E: Into<CommandError>>(
        &self,
        work: impl FnOnce() -> Result<T, E>,
    ) -> CmdResult<T> {
        self.stop_sync();
        drop(self.ledger.lock().expect("ledger lock").take());
        let result = work();
        self.reopen();
        result.map_err(Into::into)
    }
}
