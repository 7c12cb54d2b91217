//! The second place for backups (Settings → バックアップ, the warning on
//! Today) and the restore list over both places. A NAS that has gone away
//! can take seconds to answer, so the commands that touch the folder run off
//! the main thread and hold the ledger only to read its settings.

use daicho_ledger::backup::second_place::{self, SecondPlaceStatus};
use daicho_ledger::backup::{self, BackupInfo};
use daicho_ledger::contacts::local_today;
use daicho_ledger::settings::SecondPlaceSettings;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Where the second place is, whether it can be reached, and the warning
/// when the last copy is over two days old or the folder is missing.
#[tauri::command(async)]
#[specta::specta]
pub fn second_place_status(state: State<AppState>) -> CmdResult<SecondPlaceStatus> {
    let chosen = state.with(|l| l.second_place_settings())?;
    Ok(second_place::status(&state.path, &chosen, local_today()))
}

/// Saves the folder and how many copies it keeps; the ledger's own disk,
/// a missing or read-only folder are refused on the `folder` field.
#[tauri::command(async)]
#[specta::specta]
pub fn save_second_place(
    state: State<AppState>,
    settings: SecondPlaceSettings,
) -> CmdResult<SecondPlaceStatus> {
    let saved = state.with(|l| l.save_second_place(&settings))?;
    Ok(second_place::status(&state.path, &saved, local_today()))
}

/// Makes a verified copy in the second place now, on a connection of its
/// own so the window keeps working while a large ledger is copied.
#[tauri::command(async)]
#[specta::specta]
pub fn backup_to_second_place(state: State<AppState>) -> CmdResult<BackupInfo> {
    let reader = state.with(|l| l.reader())?;
    Ok(reader.backup_to_second_place()?)
}

/// Every backup in both places, newest first, for the restore list.
#[tauri::command(async)]
#[specta::specta]
pub fn list_all_backups(state: State<AppState>) -> CmdResult<Vec<BackupInfo>> {
    Ok(backup::list_all(&state.path)?)
}
