//! Several PCs in the app (issue #20): this PC becomes the office hub or
//! joins one, pairing codes, leaving, and the inbox of conflicts. Each
//! command is a few lines over `daicho_sync` and the ledger.

use std::path::PathBuf;

use daicho_ledger::import::{FileCounts, ImportOutcome, ImportRecord, RowRef};
use daicho_ledger::sync::inbox::{ConflictCard, Settle};
use daicho_ledger::{Ledger, LedgerError, Need};
use daicho_sync::net::{Client, FoundHub, PairingCode};
use daicho_sync::spoke::{leave, receive, repair, Left};
use daicho_sync::SyncError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CmdResult;
use crate::office::{self, OfficeSetup, PairingOffer};
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn office_setup(state: State<AppState>) -> CmdResult<OfficeSetup> {
    office::setup(&state)
}

/// 「このPCを親機にする」: the ledger here seeds the hub, which starts
/// serving now and with each login.
#[tauri::command]
#[specta::specta]
pub fn become_hub(app: tauri::AppHandle, state: State<AppState>) -> CmdResult<OfficeSetup> {
    state.on_ledger(|l| l.require(Need::Settings).map(|_| ()))?;
    office::become_hub(&state)?;
    office::start_with_login(&app);
    office::setup(&state)
}

#[tauri::command]
#[specta::specta]
pub fn pairing_code(state: State<AppState>) -> CmdResult<PairingOffer> {
    state.on_ledger(|l| l.require(Need::Settings).map(|_| ()))?;
    office::pairing_offer(&state)
}

/// 「親機を探す」: the hubs that answer on this PC's network within a few
/// seconds (mDNS), for the join form to offer.
#[tauri::command(async)]
#[specta::specta]
pub fn find_hubs() -> CmdResult<Vec<FoundHub>> {
    Ok(daicho_sync::net::find_hubs(FIND_WAIT)?)
}

/// Long enough for a hub to answer twice on a busy Wi-Fi.
const FIND_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The steps of joining, for the progress bar.
#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum JoinStep {
    Pairing,
    Downloading,
    Switching,
}

/// What joining did; the customers this PC had are kept in a file of their
/// own, offered for import into the office ledger.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Joined {
    pub hub_name: String,
    pub device: i64,
    pub previous_ledger: Option<String>,
    pub previous_customers: u32,
}

/// 「親機につなぐ」: pairs with the hub at `address` (a PC name or an
/// address; the hub's port is added when none is given), downloads its
/// ledger, checks it and swaps it in for this PC's.
#[tauri::command]
#[specta::specta]
pub fn join_office(
    state: State<AppState>,
    address: String,
    code: String,
    pc_name: String,
    progress: Channel<JoinStep>,
) -> CmdResult<Joined> {
    state.on_ledger(|l| l.require(Need::Settings).map(|_| ()))?;
    let url = office::hub_url(&address);
    let code = PairingCode::parse(&code)?;
    let _ = progress.send(JoinStep::Pairing);
    let (paired, fingerprint) = Client::pair(&url, &code, &pc_name, daicho_ledger::LATEST_VERSION)?;
    let joined = daicho_ledger::sync::spoke::Joined {
        url: url.clone(),
        fingerprint: fingerprint.clone(),
        token: paired.token,
        device: paired.device,
        hub_name: paired.hub_name.clone(),
    };
    let _ = progress.send(JoinStep::Downloading);
    let ledger = state.path();
    let incoming = ledger.with_file_name("daicho-joining.sqlite3");
    let _ = std::fs::remove_file(&incoming);
    receive(&Client::new(&url, &fingerprint), &joined, &incoming)?;
    let _ = progress.send(JoinStep::Switching);
    let previous_customers = state.on_ledger(|l| l.stats().map(|s| s.customers))?;
    let previous_customers = i64::from(previous_customers);
    let previous = office::swap_in(&state, &incoming, previous_customers > 0)?;
    Ok(Joined {
        hub_name: paired.hub_name,
        device: paired.device,
        previous_ledger: previous.map(|p| p.display().to_string()),
        previous_customers: u32::try_from(previous_customers).unwrap_or(u32::MAX),
    })
}

/// How many of the previous ledger's customers an import would add and how
/// many it would merge into customers the office already has.
#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
pub struct PreviousPreview {
    pub create: u32,
    pub merge: u32,
}

fn previous_records(path: &str, into: &Ledger) -> Result<Vec<ImportRecord>, LedgerError> {
    let previous = Ledger::open(PathBuf::from(path))?;
    let statuses = previous.statuses()?;
    let office_statuses = into.statuses()?;
    previous
        .customer_ids()?
        .into_iter()
        .enumerate()
        .map(|(row, id)| {
            let customer = previous.customer(id)?;
            let mut fields = customer.fields;
            // Ids of the previous ledger mean nothing here: the status goes
            // by its name, the rest is left for the office to set.
            let status_name = statuses
                .iter()
                .find(|s| Some(s.id) == fields.status_id)
                .map(|s| s.name.clone());
            fields.status_id = office_statuses
                .iter()
                .find(|s| Some(&s.name) == status_name.as_ref())
                .map(|s| s.id);
            fields.staff_id = None;
            fields.referrer_id = None;
            fields.campaign_id = None;
            Ok(ImportRecord {
                origin: vec![RowRef {
                    sheet: "以前の台帳".into(),
                    row: u32::try_from(row + 1).unwrap_or(u32::MAX),
                }],
                fields,
                members: customer.members,
                overwrite: Vec::new(),
            })
        })
        .collect()
}

#[tauri::command]
#[specta::specta]
pub fn preview_previous_ledger(state: State<AppState>, path: String) -> CmdResult<PreviousPreview> {
    state.on_ledger(|l| {
        let records = previous_records(&path, l)?;
        let plan = l.preview_import(&records)?;
        let create = plan
            .iter()
            .filter(|d| matches!(d, daicho_ledger::import::Disposition::Create))
            .count();
        Ok::<_, LedgerError>(PreviousPreview {
            create: u32::try_from(create).unwrap_or(u32::MAX),
            merge: u32::try_from(plan.len() - create).unwrap_or(u32::MAX),
        })
    })
}

/// The previous ledger's customers into the office ledger as one import:
/// the same people merged, not doubled, and undoable from the import
/// history.
#[tauri::command]
#[specta::specta]
pub fn import_previous_ledger(state: State<AppState>, path: String) -> CmdResult<ImportOutcome> {
    state.as_current_staff(|l, actor| {
        let records = previous_records(&path, l)?;
        let counts = FileCounts {
            rows: u32::try_from(records.len()).unwrap_or(u32::MAX),
            skipped: 0,
            warnings: 0,
        };
        l.import_records(actor, "以前の台帳", &records, counts, &mut |_, _| true)
    })
}

/// This PC leaves the office (its unsent changes are sent first; `force`
/// leaves without them when the hub does not answer).
#[tauri::command]
#[specta::specta]
pub fn leave_office(state: State<AppState>, force: bool) -> CmdResult<Left> {
    state.on_ledger(|l| l.require(Need::Settings).map(|_| ()))?;
    // One syncer at a time: the last sync runs here, not beside the worker.
    state.stop_sync();
    let left = state.on_ledger(|l| {
        let hub = l.sync_state()?.ok_or(SyncError::NotJoined)?.hub;
        leave(l, &Client::new(&hub.url, &hub.fingerprint), force)
    });
    match left {
        Ok(left) => {
            state.reopen();
            Ok(left)
        }
        Err(e) => {
            // Still in the office: sync goes on.
            state.start_sync();
            Err(e)
        }
    }
}

/// 「親機の台帳に合わせる」: this PC's copy, found to differ from the hub's,
/// is replaced with the hub's; the drifted file is kept beside it (its path
/// is returned) and the person acting carries on.
#[tauri::command(async)]
#[specta::specta]
pub fn repair_from_hub(state: State<AppState>) -> CmdResult<String> {
    let hub = state.on_ledger(|l| {
        l.require(Need::Settings)?;
        Ok::<_, SyncError>(l.sync_state()?.ok_or(SyncError::NotJoined)?.hub)
    })?;
    let client = Client::new(&hub.url, &hub.fingerprint);
    let path = state.path();
    let kept = state.closed(|| repair(&path, &client))?;
    Ok(kept.display().to_string())
}

#[tauri::command]
#[specta::specta]
pub fn conflict_cards(state: State<AppState>) -> CmdResult<Vec<ConflictCard>> {
    state.on_ledger(|l| l.conflict_cards())
}

#[tauri::command]
#[specta::specta]
pub fn conflicted_fields(state: State<AppState>, customer_id: i64) -> CmdResult<Vec<String>> {
    state.on_ledger(|l| l.conflicted_fields(customer_id))
}

/// 「Aを採用」「Bを採用」「編集して確定」: an ordinary edit by the person
/// acting, which syncs and closes the card on every PC.
#[tauri::command]
#[specta::specta]
pub fn resolve_conflict(state: State<AppState>, id: i64, settle: Settle) -> CmdResult<()> {
    state.as_current_staff(|l, actor| l.resolve_conflict(actor, id, &settle))
}
