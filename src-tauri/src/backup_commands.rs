//! The second place for backups (Settings → バックアップ, the warning on
//! Today) and the restore list over both places. A NAS that has gone away
//! can take seconds to answer, so the commands that touch the folder run off
//! the main thread and hold the ledger only to read its settings.

use daicho_ledger::backup::second_place::{self, SecondPlaceStatus};
use daicho_ledger::backup::{self, BackupInfo};
use daicho_ledger::contacts::local_today;
use daicho_ledger::settings::SecondPlaceSettings;
use daicho_ledger::{location, LedgerError};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Where the second place is, whether it can be reached, and the warning
/// when the last copy is over two days old or the folder is missing.
#[tauri::command(async)]
#[specta::specta]
pub fn second_place_status(state: State<AppState>) -> CmdResult<SecondPlaceStatus> {
    let chosen = state.on_ledger(|l| l.second_place_settings())?;
    Ok(second_place::status(&state.path(), &chosen, local_today()))
}

/// Saves the folder and how many copies it keeps; the ledger's own disk,
/// a missing or read-only folder are refused on the `folder` field.
#[tauri::command(async)]
#[specta::specta]
pub fn save_second_place(
    state: State<AppState>,
    settings: SecondPlaceSettings,
) -> CmdResult<SecondPlaceStatus> {
    let saved = state.on_ledger(|l| l.save_second_place(&settings))?;
    Ok(second_place::status(&state.path(), &saved, local_today()))
}

/// Makes a verified copy in the second place now, on a connection of its
/// own so the window keeps working while a large ledger is copied.
#[tauri::command(async)]
#[specta::specta]
pub fn backup_to_second_place(state: State<AppState>) -> CmdResult<BackupInfo> {
    let reader = state.on_ledger(|l| l.reader())?;
    Ok(reader.backup_to_second_place()?)
}

/// Every backup in both places, newest first, for the restore list.
#[tauri::command(async)]
#[specta::specta]
pub fn list_all_backups(state: State<AppState>) -> CmdResult<Vec<BackupInfo>> {
    Ok(backup::list_all(&state.path())?)
}

/// A ledger refused because it lives on a share or a cloud folder: makes a
/// verified copy on this PC (the app's own place, or a dated name beside it
/// when that is taken) and opens the copy. Returns where the copy is. The
/// file on the share is only read, never changed.
#[tauri::command(async)]
#[specta::specta]
pub fn copy_ledger_to_this_pc(state: State<AppState>) -> CmdResult<String> {
    let refused_as_not_local = state
        .open_error()
        .is_some_and(|e| e.code == "ledger_not_local");
    if !refused_as_not_local {
        return Err(LedgerError::Conflict(
            "この台帳はこのPCで開けています。コピーは不要です。".into(),
        )
        .into());
    }
    let dest = location::local_copy_path().ok_or_else(|| {
        LedgerError::Conflict("このPCのデータの保存場所が見つかりません。".into())
    })?;
    backup::copy_ledger(&state.path(), &dest)?;
    state.open_at(dest.clone());
    Ok(dest.display().to_string())
}
