//! Roster import: preview, commit with progress and cancel, history, undo,
//! saved mappings. Each command is a thin call into `daicho_roster`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use daicho_ledger::import::{ImportBatch, ImportOutcome, SavedMapping};
use daicho_roster::session::{ImportPreview, ImportProgress};
use daicho_roster::{Field, ImportError, PlanOptions, SavedChoices};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Reads a roster and shows what importing it would do; writes nothing.
#[tauri::command]
#[specta::specta]
pub fn import_preview(
    state: State<AppState>,
    file: String,
    options: PlanOptions,
    mapping_name: Option<String>,
) -> CmdResult<ImportPreview> {
    state.on_ledger(|ledger| -> Result<_, ImportError> {
        let mut plans = state.import_plans.lock().expect("plans lock");
        let (plan, saved) = plans.plan(
            &PathBuf::from(&file),
            ledger,
            options,
            mapping_name.as_deref(),
        )?;
        Ok(daicho_roster::session::preview(ledger, plan, saved)?)
    })
}

/// Imports a roster in one transaction, reporting progress on `progress`.
#[tauri::command(async)]
#[specta::specta]
pub fn import_commit(
    state: State<'_, AppState>,
    file: String,
    options: PlanOptions,
    mapping_name: Option<String>,
    progress: Channel<ImportProgress>,
) -> CmdResult<ImportOutcome> {
    state.cancel_import.store(false, Ordering::Relaxed);
    state.on_ledger(|ledger| -> Result<_, ImportError> {
        // The preview's plan, unless the file or the choices changed since.
        let actor = ledger.current_actor()?;
        state.import_plans.lock().expect("plans lock").commit(
            &PathBuf::from(&file),
            ledger,
            &actor,
            options,
            mapping_name.as_deref(),
            &state.cancel_import,
            &mut |p| {
                let _ = progress.send(p);
            },
        )
    })
}

#[tauri::command]
#[specta::specta]
pub fn import_cancel(state: State<AppState>) {
    state.cancel_import.store(true, Ordering::Relaxed);
}

/// Lets the previewed plan go when the import screen closes without a
/// commit: a large roster's records are a hundred megabytes. A commit still
/// running holds the plan (and lets it go when it is done): this never
/// waits for it.
#[tauri::command]
#[specta::specta]
pub fn import_forget(state: State<AppState>) {
    if let Ok(mut plans) = state.import_plans.try_lock() {
        plans.forget();
    }
}

#[tauri::command]
#[specta::specta]
pub fn list_imports(state: State<AppState>) -> CmdResult<Vec<ImportBatch>> {
    state.on_ledger(|l| l.import_batches())
}

#[tauri::command]
#[specta::specta]
pub fn undo_import(state: State<AppState>, batch: i64) -> CmdResult<ImportBatch> {
    state.as_current_staff(|l, who| l.undo_import(who, batch))
}

#[tauri::command]
#[specta::specta]
pub fn save_import_mapping(
    state: State<AppState>,
    name: String,
    header_signature: String,
    mapping: BTreeMap<String, Option<Field>>,
    status_values: BTreeMap<String, i64>,
) -> CmdResult<()> {
    let choices = SavedChoices {
        columns: mapping,
        status_values,
    };
    state.on_ledger(|l| {
        l.save_mapping(&SavedMapping {
            name,
            header_signature,
            mapping: choices.to_json(),
        })
    })
}

/// Saves the import report (.xlsx) where the save dialog said; the dialog
/// has already asked about replacing an existing file.
#[tauri::command]
#[specta::specta]
pub fn save_import_report(
    state: State<AppState>,
    file: String,
    options: PlanOptions,
    dest: String,
) -> CmdResult<()> {
    state.on_ledger(|ledger| -> Result<_, ImportError> {
        let (plan, saved) = daicho_roster::plan_file(&PathBuf::from(&file), ledger, options, None)?;
        let preview = daicho_roster::session::preview(ledger, &plan, saved)?;
        Ok(daicho_roster::report::write_report(
            &preview,
            &PathBuf::from(dest),
            true,
        )?)
    })
}
