//! The office's duties under the personal information law: erasure (消去,
//! 第35条) and disclosure (開示, 第33条). Thin calls into the ledger; the
//! fresh backup after an erasure is the existing `backup_now`.

use std::path::PathBuf;

use daicho_ledger::contacts::local_today;
use daicho_ledger::erase::{ErasurePreview, ErasureReport};
use daicho_mailing::disclosure::DisclosureOutcome;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// What erasing the customer would remove, and the backups that still hold
/// them, for the confirmation.
#[tauri::command]
#[specta::specta]
pub fn erasure_preview(state: State<AppState>, id: i64) -> CmdResult<ErasurePreview> {
    state.on_ledger(|l| l.erasure_preview(id))
}

#[tauri::command]
#[specta::specta]
pub fn erase_customer(state: State<AppState>, id: i64, reason: String) -> CmdResult<ErasureReport> {
    state.as_current_staff(|l, who| l.erase_customer(who, id, &reason))
}

/// Writes everything held about the customer to `dest` and records the
/// disclosure in their history.
#[tauri::command]
#[specta::specta]
pub fn disclose_customer(
    state: State<AppState>,
    id: i64,
    dest: PathBuf,
    replace: bool,
) -> CmdResult<DisclosureOutcome> {
    state.as_current_staff(|l, who| {
        daicho_mailing::disclosure::export_disclosure(l, who, id, local_today(), &dest, replace)
    })
}
