//! The app's commands. Each is a few lines over the domain; errors are
//! mapped once, in `error.rs`.

use std::path::PathBuf;

use daicho_ledger::backup::{self, BackupInfo};
use daicho_ledger::contacts::local_today;
use daicho_ledger::{
    Customer, CustomerFields, CustomerPage, CustomerQuery, HistoryEntry, HouseholdMember, Label,
    LabelInput, LedgerStats, Need, Preset, Settings, Staff, StaffInput, Status, StatusInput,
};
use serde::Serialize;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// What the UI needs before it can show anything: where the ledger is, and
/// either its settings or why it could not be opened.
#[derive(Serialize, specta::Type)]
pub struct AppStatus {
    pub ledger_path: String,
    pub open_error: Option<CommandError>,
    pub settings: Option<Settings>,
}

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<AppState>) -> AppStatus {
    AppStatus {
        ledger_path: state.path().display().to_string(),
        open_error: state.open_error(),
        // Read while locked too: the app decides between first run, the
        // sign-in screen and the ledger from it (nothing in it is personal).
        settings: state.signing_in(|l| l.settings()).ok(),
    }
}

/// Where this PC stands with the office hub (the header polls it).
#[tauri::command]
#[specta::specta]
pub fn sync_info(state: State<AppState>) -> daicho_sync::worker::SyncInfo {
    state.sync_info()
}

#[tauri::command]
#[specta::specta]
pub fn apply_preset(state: State<AppState>, preset: Preset) -> CmdResult<Vec<Status>> {
    state.on_ledger(|l| l.apply_preset(preset))
}

#[tauri::command]
#[specta::specta]
pub fn list_customers(state: State<AppState>, query: CustomerQuery) -> CmdResult<CustomerPage> {
    state.on_ledger(|l| l.list_customers(&query, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn get_customer(state: State<AppState>, id: i64) -> CmdResult<Customer> {
    state.on_ledger(|l| l.customer(id))
}

#[tauri::command]
#[specta::specta]
pub fn create_customer(state: State<AppState>, fields: CustomerFields) -> CmdResult<Customer> {
    state.as_current_staff(|l, who| l.create_customer(who, &fields))
}

#[tauri::command]
#[specta::specta]
pub fn update_customer(
    state: State<AppState>,
    id: i64,
    fields: CustomerFields,
) -> CmdResult<Customer> {
    state.as_current_staff(|l, who| l.update_customer(who, id, &fields))
}

#[tauri::command]
#[specta::specta]
pub fn change_status(
    state: State<AppState>,
    id: i64,
    status_id: i64,
    note: String,
    lost_reason: String,
) -> CmdResult<Customer> {
    state.as_current_staff(|l, who| l.change_status(who, id, status_id, &note, &lost_reason))
}

#[tauri::command]
#[specta::specta]
pub fn trash_customer(state: State<AppState>, id: i64) -> CmdResult<()> {
    state.as_current_staff(|l, who| l.trash_customer(who, id))
}

#[tauri::command]
#[specta::specta]
pub fn restore_customer(state: State<AppState>, id: i64) -> CmdResult<()> {
    state.as_current_staff(|l, who| l.restore_customer(who, id))
}

#[tauri::command]
#[specta::specta]
pub fn set_customer_labels(
    state: State<AppState>,
    id: i64,
    label_ids: Vec<i64>,
) -> CmdResult<Customer> {
    state.as_current_staff(|l, who| {
        l.set_customer_labels(who, id, &label_ids)?;
        l.customer(id)
    })
}

#[tauri::command]
#[specta::specta]
pub fn set_household(
    state: State<AppState>,
    id: i64,
    members: Vec<HouseholdMember>,
) -> CmdResult<Customer> {
    state.as_current_staff(|l, who| {
        l.set_household(who, id, &members)?;
        l.customer(id)
    })
}

#[tauri::command]
#[specta::specta]
pub fn customer_history(state: State<AppState>, id: i64) -> CmdResult<Vec<HistoryEntry>> {
    state.on_ledger(|l| l.customer_history(id))
}

#[tauri::command]
#[specta::specta]
pub fn list_statuses(state: State<AppState>) -> CmdResult<Vec<Status>> {
    state.on_ledger(|l| l.statuses())
}

#[tauri::command]
#[specta::specta]
pub fn save_status(state: State<AppState>, input: StatusInput) -> CmdResult<Status> {
    state.on_ledger(|l| l.save_status(&input))
}

#[tauri::command]
#[specta::specta]
pub fn reorder_statuses(state: State<AppState>, ids: Vec<i64>) -> CmdResult<Vec<Status>> {
    state.on_ledger(|l| l.reorder_statuses(&ids))
}

#[tauri::command]
#[specta::specta]
pub fn list_labels(state: State<AppState>) -> CmdResult<Vec<Label>> {
    state.on_ledger(|l| l.labels())
}

#[tauri::command]
#[specta::specta]
pub fn save_label(state: State<AppState>, input: LabelInput) -> CmdResult<Label> {
    state.on_ledger(|l| l.save_label(&input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_label(state: State<AppState>, id: i64) -> CmdResult<()> {
    state.on_ledger(|l| l.delete_label(id))
}

#[tauri::command]
#[specta::specta]
pub fn list_staff(state: State<AppState>) -> CmdResult<Vec<Staff>> {
    state.on_ledger(|l| l.staff())
}

#[tauri::command]
#[specta::specta]
pub fn save_staff(state: State<AppState>, input: StaffInput) -> CmdResult<Staff> {
    state.on_ledger(|l| l.save_staff(&input))
}

#[tauri::command]
#[specta::specta]
pub fn save_settings(state: State<AppState>, settings: Settings) -> CmdResult<Settings> {
    state.on_ledger(|l| l.save_settings(&settings))
}

#[tauri::command]
#[specta::specta]
pub fn ledger_stats(state: State<AppState>) -> CmdResult<LedgerStats> {
    state.on_ledger(|l| l.stats())
}

#[tauri::command]
#[specta::specta]
pub fn add_sample_data(state: State<AppState>, count: u32) -> CmdResult<u32> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs());
    state.as_current_staff(|l, who| l.add_sample_data(who, count, seed))
}

#[tauri::command]
#[specta::specta]
pub fn list_backups(state: State<AppState>) -> CmdResult<Vec<BackupInfo>> {
    Ok(backup::list(&state.path())?)
}

#[tauri::command]
#[specta::specta]
pub fn backup_now(state: State<AppState>) -> CmdResult<BackupInfo> {
    state.on_ledger(|l| l.backup_now())
}

/// Replaces the ledger with a backup file; the current ledger is kept as a
/// backup first.
#[tauri::command]
#[specta::specta]
pub fn restore_backup(state: State<AppState>, file: String) -> CmdResult<()> {
    let from = PathBuf::from(file);
    state.on_ledger(|l| l.require(Need::Backup).map(drop))?;
    state.closed(|| backup::restore(&state.path(), &from))?;
    state.on_ledger(|l| l.record_restore(&from).map(drop))
}

/// The places of a postal code, for filling the address as it is typed.
#[tauri::command]
#[specta::specta]
pub fn lookup_postal(code: String) -> Vec<daicho_text::PostalPlace> {
    daicho_text::lookup_postal(&code)
}
