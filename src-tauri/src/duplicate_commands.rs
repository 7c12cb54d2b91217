//! Duplicates already in the ledger (重複の候補): the candidate pairs, the
//! side-by-side merge and its undo. Thin calls into the ledger.

use daicho_ledger::duplicates::DuplicatePair;
use daicho_ledger::merge::{FieldPick, MergePlan, MergeRecord};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn duplicate_candidates(state: State<AppState>) -> CmdResult<Vec<DuplicatePair>> {
    state.on_ledger(|l| l.duplicate_candidates())
}

/// The pair is two people: it leaves the candidates for good.
#[tauri::command]
#[specta::specta]
pub fn mark_distinct(state: State<AppState>, a: i64, b: i64) -> CmdResult<()> {
    state.as_current_staff(|l, who| l.mark_distinct(who, a, b))
}

/// Both records and the fields where they differ, with the default picks.
#[tauri::command]
#[specta::specta]
pub fn merge_plan(state: State<AppState>, kept: i64, other: i64) -> CmdResult<MergePlan> {
    state.on_ledger(|l| l.merge_plan(kept, other))
}

#[tauri::command]
#[specta::specta]
pub fn merge_customers(
    state: State<AppState>,
    kept: i64,
    other: i64,
    picks: Vec<FieldPick>,
) -> CmdResult<MergeRecord> {
    state.as_current_staff(|l, who| l.merge_customers(who, kept, other, &picks))
}

#[tauri::command]
#[specta::specta]
pub fn undo_merge(state: State<AppState>, id: i64) -> CmdResult<MergeRecord> {
    state.as_current_staff(|l, who| l.undo_merge(who, id))
}

#[tauri::command]
#[specta::specta]
pub fn list_merges(state: State<AppState>) -> CmdResult<Vec<MergeRecord>> {
    state.on_ledger(|l| l.merges())
}
