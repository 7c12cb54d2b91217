//! After-care requests (アフター・クレーム対応): receiving, assigning,
//! moving, visiting and closing them, and the office's lists and settings
//! for them, and a partner's sheet of their open requests. Thin calls into
//! the ledger; today is read here, in the shell.

use daicho_ledger::contacts::{local_today, ContactInput, INSPECTION_KIND};
use daicho_ledger::requests::{
    ListEntry, ListEntryInput, RequestClose, RequestDetail, RequestFilter, RequestInput,
    RequestList, RequestSettings, RequestStatus, ServiceRequest, CLAIM_KIND,
};
use daicho_mailing::partner_sheet;
use std::path::PathBuf;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn list_requests(
    state: State<AppState>,
    filter: RequestFilter,
) -> CmdResult<Vec<ServiceRequest>> {
    state.on_ledger(|l| l.requests(&filter, local_today()))
}

/// One request with the visits and work logged against it.
#[tauri::command]
#[specta::specta]
pub fn get_request(state: State<AppState>, id: i64) -> CmdResult<RequestDetail> {
    state.on_ledger(|l| l.request(id, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn create_request(state: State<AppState>, input: RequestInput) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| l.create_request(who, &input, local_today()))
}

/// The contact kinds a request can be made from (クレーム, 点検): the UI
/// offers the one click on those.
#[tauri::command]
#[specta::specta]
pub fn request_source_kinds() -> Vec<String> {
    [CLAIM_KIND, INSPECTION_KIND].map(String::from).to_vec()
}

/// The one click on a クレーム or 点検 contact.
#[tauri::command]
#[specta::specta]
pub fn create_request_from_contact(
    state: State<AppState>,
    contact_id: i64,
    category_id: i64,
) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| {
        l.create_request_from_contact(who, contact_id, category_id, local_today())
    })
}

#[tauri::command]
#[specta::specta]
pub fn update_request(
    state: State<AppState>,
    id: i64,
    input: RequestInput,
) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| l.update_request(who, id, &input, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn assign_request(
    state: State<AppState>,
    id: i64,
    staff_id: Option<i64>,
) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| l.assign_request(who, id, staff_id, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn move_request(
    state: State<AppState>,
    id: i64,
    status: RequestStatus,
) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| l.move_request(who, id, status, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn close_request(
    state: State<AppState>,
    id: i64,
    close: RequestClose,
) -> CmdResult<ServiceRequest> {
    state.as_current_staff(|l, who| l.close_request(who, id, &close, local_today()))
}

/// A visit or work done, logged as a contact linked to the request.
#[tauri::command]
#[specta::specta]
pub fn log_request_contact(
    state: State<AppState>,
    request_id: i64,
    input: ContactInput,
) -> CmdResult<RequestDetail> {
    state.as_current_staff(|l, who| l.log_request_contact(who, request_id, &input, local_today()))
}

/// The entries of one of the office's lists (categories, causes, partners).
#[tauri::command]
#[specta::specta]
pub fn request_list(state: State<AppState>, list: RequestList) -> CmdResult<Vec<ListEntry>> {
    state.on_ledger(|l| l.request_list(list))
}

#[tauri::command]
#[specta::specta]
pub fn save_request_list_entry(
    state: State<AppState>,
    list: RequestList,
    input: ListEntryInput,
) -> CmdResult<Vec<ListEntry>> {
    state.on_ledger(|l| l.save_request_list_entry(list, &input))
}

#[tauri::command]
#[specta::specta]
pub fn get_request_settings(state: State<AppState>) -> CmdResult<RequestSettings> {
    state.on_ledger(|l| l.request_settings())
}

#[tauri::command]
#[specta::specta]
pub fn save_request_settings(
    state: State<AppState>,
    settings: RequestSettings,
) -> CmdResult<RequestSettings> {
    state.on_ledger(|l| l.save_request_settings(&settings))
}

/// Writes a partner's open requests where the save dialog said (it asked
/// about replacing a file; a typed path is not replaced unless `replace`).
/// Returns how many requests the sheet holds.
#[tauri::command]
#[specta::specta]
pub fn export_partner_sheet(
    state: State<AppState>,
    partner_id: i64,
    dest: PathBuf,
    replace: bool,
) -> CmdResult<u32> {
    state.on_ledger(|l| {
        let partner = l.request_list_entry(RequestList::Partner, &partner_id.to_string())?;
        partner_sheet::export_partner_sheet(l, &partner, local_today(), &dest, replace)
    })
}
