//! A PC's side of sync: push the outbox in order, then pull the hub's log
//! in one transaction per batch, until both are quiet; and joining an
//! office from the hub's snapshot.

use std::path::Path;

use daicho_ledger::sync::hub::{Entry, Taken};
use daicho_ledger::sync::spoke::{install_snapshot, outbox_counter, Joined};
use daicho_ledger::{Ledger, LATEST_VERSION};
use serde::Serialize;

use crate::error::SyncError;
use crate::office::PULL_LIMIT;
use crate::wire::{Auth, Change, Hub, PullRequest, PushRequest, SnapshotInfo};

/// The most writes one push carries.
pub const PUSH_LIMIT: u32 = 500;
/// Push-then-pull rounds in one sync before giving the PC back: writes made
/// meanwhile go in the next sync.
const ROUNDS: usize = 8;

/// What one sync did (`daicho sync --json` prints it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub pushed: usize,
    pub pulled: usize,
    /// Conflicts recorded and not yet resolved, on this PC after the sync.
    pub conflicts: usize,
}

fn auth(hub: &Joined) -> Auth {
    Auth {
        device: hub.device,
        token: hub.token.clone(),
        schema_version: LATEST_VERSION,
    }
}

/// One sync with the hub: everything unsent goes, everything new comes.
pub fn sync_once(ledger: &mut Ledger, hub: &dyn Hub) -> Result<Report, SyncError> {
    let state = ledger.sync_state()?.ok_or(SyncError::NotJoined)?;
    let auth = auth(&state.hub);
    let mut report = Report::default();
    for _ in 0..ROUNDS {
        report.pushed += push_all(ledger, hub, &auth)?;
        match pull_all(ledger, hub, &auth)? {
            Some(pulled) => {
                report.pulled += pulled;
                break;
            }
            // Written to meanwhile: push that too, then pull.
            None => continue,
        }
    }
    report.conflicts = ledger.sync_conflicts(true)?.len();
    Ok(report)
}

fn push_all(ledger: &mut Ledger, hub: &dyn Hub, auth: &Auth) -> Result<usize, SyncError> {
    let mut pushed = 0;
    loop {
        let waiting = ledger.sync_outbox(PUSH_LIMIT)?;
        let Some(last) = waiting.last().map(|w| w.seq) else {
            return Ok(pushed);
        };
        let request = PushRequest {
            auth: auth.clone(),
            changes: waiting
                .into_iter()
                .map(|w| Change {
                    device_seq: w.seq,
                    at: w.at,
                    staff_id: w.staff_id,
                    changeset: w.changeset,
                })
                .collect(),
        };
        let reply = hub.push(&request)?;
        if reply.taken_through > last {
            // The hub has taken writes of this PC numbered past any it has
            // here: these would be skipped as taken. Kept, never dropped.
            return Err(SyncError::Corrupt(format!(
                "親機はこのPCの変更を {} 番まで受け取っていますが、このPCの変更は {} 番までです",
                reply.taken_through, last
            )));
        }
        ledger.sync_taken(&Taken {
            through: reply.taken_through,
            refused: reply
                .refused
                .into_iter()
                .filter(|r| request.changes.iter().any(|c| c.device_seq == r.device_seq))
                .map(|r| (r.device_seq, r.undo))
                .collect(),
        })?;
        pushed += request
            .changes
            .iter()
            .filter(|c| c.device_seq <= reply.taken_through)
            .count();
        if reply.taken_through < last {
            return Err(SyncError::Corrupt(format!(
                "親機が受け取った変更が {} までで、{} まで送りました",
                reply.taken_through, last
            )));
        }
    }
}

/// Pulls until the log's head; None when the outbox had writes (push first).
fn pull_all(ledger: &mut Ledger, hub: &dyn Hub, auth: &Auth) -> Result<Option<usize>, SyncError> {
    let mut pulled = 0;
    loop {
        let cursor = ledger.sync_state()?.ok_or(SyncError::NotJoined)?.cursor;
        let reply = hub.pull(&PullRequest {
            auth: auth.clone(),
            after: cursor,
            limit: PULL_LIMIT,
        })?;
        let entries: Vec<Entry> = reply.entries.into_iter().map(Entry::from).collect();
        check_order(cursor, &entries)?;
        let count = entries.len();
        let Some(applied) = ledger.sync_apply(&entries)? else {
            return Ok(None);
        };
        pulled += count;
        if count == 0 || applied.cursor >= reply.head {
            return Ok(Some(pulled));
        }
    }
}

/// The hub's entries come after the cursor, in order: anything else is a
/// message that is not what was asked.
fn check_order(cursor: i64, entries: &[Entry]) -> Result<(), SyncError> {
    let mut last = cursor;
    for entry in entries {
        if entry.seq <= last {
            return Err(SyncError::Corrupt(format!(
                "親機の記録の順番が乱れています（{} の後に {}）",
                last, entry.seq
            )));
        }
        last = entry.seq;
    }
    Ok(())
}

/// Whether this PC's copy is the hub's, table by table, when both are at
/// the same place in the log: the tables that differ (empty when alike),
/// or None when the PC has writes unsent or the hub has moved on (compare
/// again after the next sync).
pub fn check(ledger: &Ledger, hub: &dyn Hub) -> Result<Option<Vec<String>>, SyncError> {
    let (state, ours) = ledger.sync_state_and_digest()?;
    let state = state.ok_or(SyncError::NotJoined)?;
    if state.unsent > 0 {
        return Ok(None);
    }
    let theirs = hub.digest(&auth(&state.hub))?;
    if state.cursor != theirs.seq {
        return Ok(None);
    }
    Ok(Some(
        ours.iter()
            .filter(|t| !theirs.tables.contains(t))
            .map(|(table, _)| table.clone())
            .collect(),
    ))
}

/// Replaces this PC's copy at `path` with the hub's, keeping this PC's own
/// settings; the drifted copy is kept beside it (its name is returned).
/// The ledger must have nothing unsent and be open nowhere else (it is
/// refused otherwise, as a restore is).
pub fn repair(path: &Path, hub: &dyn Hub) -> Result<std::path::PathBuf, SyncError> {
    let ledger = Ledger::open(path)?;
    let state = ledger.sync_state()?.ok_or(SyncError::NotJoined)?;
    if state.unsent > 0 {
        return Err(SyncError::Corrupt(format!(
            "未送信の変更が {} 件あるため、台帳を親機の写しに置き換えません。先に同期してください",
            state.unsent
        )));
    }
    let carried = ledger.own_settings()?;
    let counted = outbox_counter(ledger.conn())?;
    drop(ledger);
    let fresh = path.with_extension("repairing");
    let part = path.with_extension("repairing-part");
    for stale in [&fresh, &part] {
        let _ = std::fs::remove_file(stale);
    }
    let info = hub.snapshot(&auth(&state.hub), &part)?;
    let installed = install_snapshot(&part, &fresh, &state.hub, info.seq, &carried, counted);
    let _ = std::fs::remove_file(&part);
    installed?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let kept = path.with_file_name(format!("daicho-before-repair-{stamp}.sqlite3"));
    let replaced = daicho_ledger::backup::replace_with(path, &fresh, Some(&kept));
    let _ = std::fs::remove_file(&fresh);
    replaced?;
    Ok(kept)
}

/// What leaving did: the writes sent first, and those dropped unsent (only
/// when leaving was forced while the hub did not answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Left {
    pub sent: u32,
    pub dropped: u32,
}

/// This PC leaves the office: its unsent writes go first; if the hub does
/// not answer, leaving is refused with their count unless `force`.
pub fn leave(ledger: &mut Ledger, hub: &dyn Hub, force: bool) -> Result<Left, SyncError> {
    let state = ledger.sync_state()?.ok_or(SyncError::NotJoined)?;
    let sent = match sync_once(ledger, hub) {
        Ok(report) => {
            hub.leave(&auth(&state.hub))?;
            report.pushed
        }
        Err(e) if force && e.is_transient() => 0,
        Err(e) if e.is_transient() => {
            return Err(SyncError::Unreachable {
                url: state.hub.url,
                detail: format!(
                    "未送信の変更 {} 件を送れないため、まだ抜けていません。送らずに抜けると、\
                     その変更は他のPCに届きません",
                    state.unsent
                ),
            })
        }
        Err(e) => return Err(e),
    };
    let dropped = ledger.sync_leave()?;
    Ok(Left {
        sent: u32::try_from(sent).unwrap_or(u32::MAX),
        dropped: u32::try_from(dropped).unwrap_or(u32::MAX),
    })
}

/// Makes `target` (a new file) this PC's copy of the office ledger: the
/// hub's snapshot, checked, joined as the device the pairing gave.
pub fn receive(hub: &dyn Hub, joined: &Joined, target: &Path) -> Result<SnapshotInfo, SyncError> {
    let part = target.with_extension("joining");
    let _ = std::fs::remove_file(&part);
    let info = hub.snapshot(&auth(joined), &part)?;
    let installed = install_snapshot(&part, target, joined, info.seq, &[], 0);
    let _ = std::fs::remove_file(&part);
    for side in ["joining-wal", "joining-shm"] {
        let _ = std::fs::remove_file(target.with_extension(side));
    }
    installed?;
    Ok(info)
}
