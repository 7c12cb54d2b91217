//! Signing in, locking, PINs, roles, and the export record. The rules are in
//! the ledger (`reference::sign_in`, `store::access`); these are thin calls.
//! Signing in works while the ledger is locked; everything else does not.

use daicho_ledger::{AccessRule, AccessSettings, Acting, ExportEntry, SessionInfo};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Who is acting and what they may do (the UI hides the rest).
#[tauri::command]
#[specta::specta]
pub fn session_info(state: State<AppState>) -> CmdResult<SessionInfo> {
    state.signing_in(|l| l.session_info())
}

/// The members one may sign in as, for the sign-in screen (names only).
#[tauri::command]
#[specta::specta]
pub fn sign_in_choices(state: State<AppState>) -> CmdResult<Vec<Acting>> {
    state.signing_in(|l| l.sign_in_choices())
}

/// Signs in (sign-in on: with the PIN) or switches the person at this PC.
#[tauri::command]
#[specta::specta]
pub fn sign_in(
    state: State<AppState>,
    staff_id: i64,
    pin: Option<String>,
) -> CmdResult<SessionInfo> {
    state.signing_in(|l| l.sign_in(staff_id, pin.as_deref()))
}

/// Locks after the idle time (or by hand): nobody acts until a sign-in.
#[tauri::command]
#[specta::specta]
pub fn lock_ledger(state: State<AppState>) -> CmdResult<SessionInfo> {
    state.signing_in(|l| l.lock())
}

/// One's own PIN, or (管理者) anyone's: a forgotten PIN is reset this way.
#[tauri::command]
#[specta::specta]
pub fn set_pin(state: State<AppState>, staff_id: i64, pin: String) -> CmdResult<()> {
    state.on_ledger(|l| l.set_pin(staff_id, &pin))
}

#[tauri::command]
#[specta::specta]
pub fn get_access_settings(state: State<AppState>) -> CmdResult<AccessSettings> {
    state.on_ledger(|l| l.access_settings())
}

#[tauri::command]
#[specta::specta]
pub fn save_access_settings(
    state: State<AppState>,
    settings: AccessSettings,
) -> CmdResult<SessionInfo> {
    state.on_ledger(|l| l.save_access_settings(&settings))
}

/// The export record, newest first.
#[tauri::command]
#[specta::specta]
pub fn export_log(state: State<AppState>, limit: u32) -> CmdResult<Vec<ExportEntry>> {
    state.on_ledger(|l| l.exports(limit))
}

/// Who may do what under the office's current choices.
#[tauri::command]
#[specta::specta]
pub fn access_rules(state: State<AppState>) -> CmdResult<Vec<AccessRule>> {
    state.on_ledger(|l| l.access_rules())
}
