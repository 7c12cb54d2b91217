//! Sync in the background, as the app runs it: a thread with its own
//! connection to the ledger (WAL lets the window read and write beside it)
//! that syncs every second while the hub answers and keeps trying while it
//! does not. The window reads where things stand (`SyncStatus`) and is told
//! when another PC's changes arrived.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use daicho_ledger::{Coded, Ledger};
use serde::Serialize;

use crate::net::Client;
use crate::spoke::sync_once;

/// Between syncs while the hub answers: an edit reaches the other PCs in
/// about two of these (one to push, one to pull), the 3 s of the brief.
pub const EVERY: Duration = Duration::from_secs(1);

/// Where this PC stands with the hub, for the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncStatus {
    /// Not started yet, or this ledger is on its own.
    Idle,
    /// Everything sent and received at `at` (the PC's clock, HH:MM).
    Synced { at: String, conflicts: u32 },
    /// The hub does not answer: work goes on offline; `unsent` writes wait.
    Offline { unsent: u32, message: String },
    /// Sync stopped on something a person must fix (an old app version, a
    /// PC the hub no longer knows): the message says what.
    Stopped {
        unsent: u32,
        code: String,
        message: String,
    },
}

/// What the window polls: where things stand, and how many syncs so far
/// brought other PCs' changes (when it moves, the screen reloads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SyncInfo {
    pub status: SyncStatus,
    pub arrivals: u32,
}

/// The running worker; dropping it stops the thread.
pub struct Worker {
    stop: Arc<AtomicBool>,
    status: Arc<Mutex<SyncStatus>>,
    arrivals: Arc<AtomicU32>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts syncing the ledger at `path` every `every` when it has joined
    /// an office; None for a ledger on its own.
    pub fn start(path: PathBuf, every: Duration) -> Option<Self> {
        let joined = Ledger::open(&path)
            .ok()
            .and_then(|l| l.sync_state().ok().flatten())
            .is_some();
        if !joined {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let status = Arc::new(Mutex::new(SyncStatus::Idle));
        let arrivals = Arc::new(AtomicU32::new(0));
        let thread = {
            let (stop, status, count) = (stop.clone(), status.clone(), arrivals.clone());
            let arrived = move || {
                count.fetch_add(1, Ordering::Relaxed);
            };
            std::thread::Builder::new()
                .name("daicho-sync".into())
                .spawn(move || run(&path, every, &stop, &status, &arrived))
                .ok()?
        };
        Some(Self {
            stop,
            status,
            arrivals,
            thread: Some(thread),
        })
    }

    pub fn info(&self) -> SyncInfo {
        SyncInfo {
            status: self
                .status
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
            arrivals: self.arrivals.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    path: &std::path::Path,
    every: Duration,
    stop: &AtomicBool,
    status: &Mutex<SyncStatus>,
    arrived: &dyn Fn(),
) {
    let set = |s: SyncStatus| {
        *status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = s;
    };
    let mut ledger = None;
    // Synced rounds until the next comparison: the first comes at once.
    let mut until_check: u32 = 0;
    let mut until_search = SEARCH_AFTER;
    while !stop.load(Ordering::Relaxed) {
        let mut next = round(path, &mut ledger, arrived);
        if !matches!(next, SyncStatus::Offline { .. }) {
            until_search = SEARCH_AFTER;
        } else if until_search > 0 {
            until_search -= 1;
        } else {
            relocate(path, &mut ledger);
            until_search = SEARCH_AFTER;
        }
        if matches!(next, SyncStatus::Synced { .. }) {
            if until_check > 0 {
                until_check -= 1;
            } else if let Some(tables) = differing(ledger.as_ref()) {
                until_check = CHECK_EVERY;
                if !tables.is_empty() {
                    next = drifted(&tables);
                }
            } else {
                // Not comparable now (the office is busy): the hub hashes
                // its whole ledger for each try, so not every second.
                until_check = RETRY_CHECK;
            }
        }
        let halt = matches!(next, SyncStatus::Stopped { .. });
        set(next);
        if halt {
            return;
        }
        // Wakes often enough to stop promptly when the app closes.
        let slice = Duration::from_millis(100);
        let mut waited = Duration::ZERO;
        while waited < every && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(slice);
            waited += slice;
        }
    }
}

/// The copy here is compared with the hub's when sync starts and then
/// every this many syncs.
const CHECK_EVERY: u32 = 120;
/// Syncs until another try when the copies could not be compared.
const RETRY_CHECK: u32 = 10;

/// Offline syncs before this PC looks for its hub on the LAN.
const SEARCH_AFTER: u32 = 10;
/// How long that look lasts (the worker waits meanwhile).
const SEARCH_WAIT: Duration = Duration::from_secs(2);

/// A hub whose address changed (a new DHCP lease, a new router), or whose
/// address this PC never learnt (the first PC after `hub init`), is found
/// again on the LAN by the certificate fingerprint this PC pinned; the
/// new address is kept. Whatever answers with another fingerprint is not
/// this office's hub.
fn relocate(path: &std::path::Path, open: &mut Option<Ledger>) {
    // A failed sync let the connection go; this one is kept for the next.
    if open.is_none() {
        *open = Ledger::open(path).ok();
    }
    let Some(ledger) = open.as_mut() else { return };
    let Ok(Some(state)) = ledger.sync_state() else {
        return;
    };
    let Ok(hubs) = crate::net::find_hubs(SEARCH_WAIT) else {
        return;
    };
    let Some(hub) = hubs.iter().find(|h| h.fingerprint == state.hub.fingerprint) else {
        return;
    };
    let url = format!("https://{}", hub.address);
    if url != state.hub.url {
        let _ = ledger.set_sync_url(&url);
    }
}

/// The tables in which this copy differs from the hub's; None when the two
/// cannot be compared now (the hub has moved on, or does not answer).
fn differing(ledger: Option<&Ledger>) -> Option<Vec<String>> {
    let ledger = ledger?;
    let state = ledger.sync_state().ok().flatten()?;
    let client = Client::new(&state.hub.url, &state.hub.fingerprint);
    crate::spoke::check(ledger, &client).ok().flatten()
}

/// A copy that has drifted from the hub's stops sync with the tables that
/// differ, until it is replaced with the hub's (`spoke::repair`: the app's
/// 「親機の台帳に合わせる」, or `daicho sync --repair`).
fn drifted(tables: &[String]) -> SyncStatus {
    SyncStatus::Stopped {
        unsent: 0,
        code: daicho_ledger::ErrorCode::LedgerDrifted.to_string(),
        message: format!(
            "このPCの台帳が親機の台帳と食い違っています（{}）。",
            tables.join("・")
        ),
    }
}

/// One sync, as a status, on the worker's connection (opened again after
/// a failure).
fn round(path: &std::path::Path, open: &mut Option<Ledger>, arrived: &dyn Fn()) -> SyncStatus {
    if open.is_none() {
        match Ledger::open(path) {
            Ok(ledger) => *open = Some(ledger),
            Err(e) => return offline(0, &e.to_string()),
        }
    }
    let Some(ledger) = open.as_mut() else {
        return SyncStatus::Idle;
    };
    let Ok(Some(state)) = ledger.sync_state() else {
        return SyncStatus::Idle;
    };
    let unsent = u32::try_from(state.unsent).unwrap_or(u32::MAX);
    if state.hub.url.is_empty() {
        return offline(unsent, "親機の場所がまだわかりません。");
    }
    let client = Client::new(&state.hub.url, &state.hub.fingerprint);
    let outcome = sync_once(ledger, &client);
    if outcome.is_err() {
        *open = None;
    }
    match outcome {
        Ok(report) => {
            if report.pulled > 0 {
                arrived();
            }
            SyncStatus::Synced {
                at: chrono::Local::now().format("%H:%M").to_string(),
                conflicts: u32::try_from(report.conflicts).unwrap_or(u32::MAX),
            }
        }
        Err(e) if e.is_transient() => offline(unsent, &e.to_string()),
        Err(e) => SyncStatus::Stopped {
            unsent,
            code: e.code().to_string(),
            message: e.to_string(),
        },
    }
}

fn offline(unsent: u32, message: &str) -> SyncStatus {
    SyncStatus::Offline {
        unsent,
        message: message.to_string(),
    }
}
