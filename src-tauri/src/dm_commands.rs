//! Segments and DM export. Each command is a thin call into the ledger and
//! `daicho_mailing`.

use std::path::PathBuf;

use daicho_ledger::contacts::local_today;
use daicho_ledger::dm::Mailing;
use daicho_ledger::segments::{Group, Segment, SegmentInput};
use daicho_ledger::{CustomerQuery, CustomerRow};
use daicho_mailing::export::{ExportOutcome, ExportRequest, Prepared};
use serde::Serialize;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn list_segments(state: State<AppState>) -> CmdResult<Vec<Segment>> {
    state.on_ledger(|l| l.segments())
}

#[tauri::command]
#[specta::specta]
pub fn save_segment(state: State<AppState>, input: SegmentInput) -> CmdResult<Segment> {
    state.on_ledger(|l| l.save_segment(&input))
}

/// The live count and first members of a filter being built.
#[derive(Serialize, specta::Type)]
pub struct FilterPreview {
    pub count: u32,
    pub sample: Vec<CustomerRow>,
}

#[tauri::command]
#[specta::specta]
pub fn preview_filter(state: State<AppState>, filter: Group) -> CmdResult<FilterPreview> {
    let today = local_today();
    state.on_ledger(|l| {
        let ids = l.filter_member_ids(&filter, today)?;
        let sample = ids
            .iter()
            .take(50)
            .map(|id| l.customer_row(*id, today))
            .collect::<Result<_, _>>()?;
        Ok::<_, daicho_ledger::LedgerError>(FilterPreview {
            count: ids.len() as u32,
            sample,
        })
    })
}

/// Adds the customers of a list search to a static list (or removes them).
#[tauri::command]
#[specta::specta]
pub fn set_list_members(
    state: State<AppState>,
    segment_id: i64,
    add: Vec<i64>,
    remove: Vec<i64>,
) -> CmdResult<()> {
    state.on_ledger(|l| l.set_list_members(segment_id, &add, &remove))
}

/// A static list of a filter's members as they are now.
#[tauri::command]
#[specta::specta]
pub fn snapshot_segment(state: State<AppState>, name: String, filter: Group) -> CmdResult<Segment> {
    state.on_ledger(|l| l.snapshot_segment(&name, &filter, local_today()))
}

/// Adds everyone a customer-list search finds to a static list.
#[tauri::command]
#[specta::specta]
pub fn add_search_to_list(
    state: State<AppState>,
    segment_id: i64,
    query: CustomerQuery,
) -> CmdResult<u32> {
    state.on_ledger(|l| l.add_search_to_list(segment_id, &query, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn prepare_dm(state: State<AppState>, request: ExportRequest) -> CmdResult<Prepared> {
    state.on_ledger(|l| daicho_mailing::export::prepare(l, &request, local_today()))
}

/// Writes the list where the save dialog said (it asked about replacing).
#[tauri::command]
#[specta::specta]
pub fn export_dm(
    state: State<AppState>,
    request: ExportRequest,
    dest: String,
    approved: bool,
) -> CmdResult<ExportOutcome> {
    state.as_current_staff(|l, who| {
        let dest = PathBuf::from(&dest);
        daicho_mailing::export::export(l, who, &request, local_today(), &dest, true, approved)
    })
}

#[tauri::command]
#[specta::specta]
pub fn list_mailings(state: State<AppState>) -> CmdResult<Vec<Mailing>> {
    state.on_ledger(|l| l.mailings())
}

#[tauri::command]
#[specta::specta]
pub fn list_templates(
    state: State<AppState>,
) -> CmdResult<Vec<daicho_mailing::templates::Template>> {
    state.on_ledger(|l| daicho_mailing::templates::templates(l))
}

#[tauri::command]
#[specta::specta]
pub fn save_template(
    state: State<AppState>,
    template: daicho_mailing::templates::Template,
) -> CmdResult<()> {
    state.on_ledger(|l| daicho_mailing::templates::save_template(l, &template))
}

#[tauri::command]
#[specta::specta]
pub fn get_check_options(
    state: State<AppState>,
) -> CmdResult<daicho_mailing::checks::CheckOptions> {
    state.on_ledger(|l| daicho_mailing::templates::check_options(l))
}

#[tauri::command]
#[specta::specta]
pub fn save_check_options(
    state: State<AppState>,
    options: daicho_mailing::checks::CheckOptions,
) -> CmdResult<()> {
    state.on_ledger(|l| daicho_mailing::templates::save_check_options(l, &options))
}

/// The print form's starting point: the office's saved choices (with this
/// PC's printer offsets) and the label sheets to choose from.
#[derive(Serialize, specta::Type)]
pub struct PrintSetup {
    pub options: daicho_mailing::print::PrintOptions,
    pub sheets: Vec<daicho_mailing::print::Sheet>,
}

#[tauri::command]
#[specta::specta]
pub fn print_setup(state: State<AppState>) -> CmdResult<PrintSetup> {
    state.on_ledger(|l| {
        Ok::<_, daicho_ledger::LedgerError>(PrintSetup {
            options: daicho_mailing::print::saved(l)?,
            sheets: daicho_mailing::print::sheets::builtin(),
        })
    })
}

#[tauri::command]
#[specta::specta]
pub fn save_print_options(
    state: State<AppState>,
    options: daicho_mailing::print::PrintOptions,
) -> CmdResult<()> {
    state.on_ledger(|l| daicho_mailing::print::save(l, &options))
}

/// The print's first page as a PNG data URL, drawn from the PDF itself.
#[tauri::command]
#[specta::specta]
pub fn print_preview(state: State<AppState>, request: ExportRequest) -> CmdResult<String> {
    state.on_ledger(|l| daicho_mailing::export::print_preview(l, &request, local_today()))
}

/// Opens a written file (the printed PDF) in the system's viewer, where
/// the office prints it at 100%.
#[tauri::command]
#[specta::specta]
pub fn open_written_file(path: String) -> CmdResult<()> {
    opener::open(&path).map_err(|e| {
        daicho_ledger::LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
            "path",
            format!("{path} を開けませんでした（{e}）。ファイルを直接開いてください。"),
        )])
        .into()
    })
}
