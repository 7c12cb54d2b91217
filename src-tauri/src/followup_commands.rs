//! Follow-up commands: contacts, tasks, projects, referrals, campaigns, the
//! Today lists and the dashboard. Thin calls into the ledger.

use std::path::PathBuf;

use daicho_ledger::campaigns::{Campaign, CampaignInput, CampaignResult};
use daicho_ledger::contacts::{local_today, Contact, ContactInput, ContactKind, ContactKindInput};
use daicho_ledger::dashboard::{Dashboard, MonthTargets};
use daicho_ledger::projects::{Project, ProjectInput, ProjectSaved};
use daicho_ledger::referrals::{ReferralNetwork, Referrals};
use daicho_ledger::tasks::Task;
use daicho_ledger::today::Today;
use daicho_ledger::FollowUpSettings;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn today(state: State<AppState>) -> CmdResult<Today> {
    state.on_ledger(|l| l.today(local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn list_contact_kinds(state: State<AppState>) -> CmdResult<Vec<ContactKind>> {
    state.on_ledger(|l| l.contact_kinds())
}

#[tauri::command]
#[specta::specta]
pub fn save_contact_kind(
    state: State<AppState>,
    input: ContactKindInput,
) -> CmdResult<Vec<ContactKind>> {
    state.on_ledger(|l| l.save_contact_kind(&input))
}

#[tauri::command]
#[specta::specta]
pub fn list_contacts(state: State<AppState>, customer_id: i64) -> CmdResult<Vec<Contact>> {
    state.on_ledger(|l| l.contacts(customer_id))
}

#[tauri::command]
#[specta::specta]
pub fn log_contact(state: State<AppState>, input: ContactInput) -> CmdResult<Contact> {
    state.as_current_staff(|l, who| l.log_contact(who, &input, local_today()))
}

#[tauri::command]
#[specta::specta]
pub fn delete_contact(state: State<AppState>, id: i64) -> CmdResult<()> {
    state.on_ledger(|l| l.delete_contact(id))
}

#[tauri::command]
#[specta::specta]
pub fn list_tasks(state: State<AppState>, customer_id: i64) -> CmdResult<Vec<Task>> {
    state.on_ledger(|l| l.tasks(customer_id))
}

#[tauri::command]
#[specta::specta]
pub fn set_task_done(state: State<AppState>, id: i64, done: bool) -> CmdResult<Task> {
    state.as_current_staff(|l, who| l.set_task_done(who, id, done))
}

#[tauri::command]
#[specta::specta]
pub fn list_projects(state: State<AppState>, customer_id: i64) -> CmdResult<Vec<Project>> {
    state.on_ledger(|l| l.projects(customer_id))
}

#[tauri::command]
#[specta::specta]
pub fn save_project(state: State<AppState>, input: ProjectInput) -> CmdResult<ProjectSaved> {
    state.as_current_staff(|l, who| l.save_project(who, &input))
}

#[tauri::command]
#[specta::specta]
pub fn delete_project(state: State<AppState>, id: i64) -> CmdResult<()> {
    state.as_current_staff(|l, who| l.delete_project(who, id))
}

#[tauri::command]
#[specta::specta]
pub fn customer_referrals(state: State<AppState>, id: i64) -> CmdResult<Referrals> {
    state.on_ledger(|l| l.referrals(id))
}

#[tauri::command]
#[specta::specta]
pub fn referral_network(state: State<AppState>) -> CmdResult<ReferralNetwork> {
    state.on_ledger(|l| l.referral_network())
}

#[tauri::command]
#[specta::specta]
pub fn list_campaigns(state: State<AppState>) -> CmdResult<Vec<Campaign>> {
    state.on_ledger(|l| l.campaigns())
}

#[tauri::command]
#[specta::specta]
pub fn save_campaign(state: State<AppState>, input: CampaignInput) -> CmdResult<Vec<Campaign>> {
    state.on_ledger(|l| l.save_campaign(&input))
}

#[tauri::command]
#[specta::specta]
pub fn campaign_results(state: State<AppState>) -> CmdResult<Vec<CampaignResult>> {
    state.on_ledger(|l| l.campaign_results())
}

#[tauri::command]
#[specta::specta]
pub fn get_follow_up_settings(state: State<AppState>) -> CmdResult<FollowUpSettings> {
    state.on_ledger(|l| l.follow_up_settings())
}

#[tauri::command]
#[specta::specta]
pub fn save_follow_up_settings(
    state: State<AppState>,
    settings: FollowUpSettings,
) -> CmdResult<FollowUpSettings> {
    state.on_ledger(|l| l.save_follow_up_settings(&settings))
}

#[tauri::command]
#[specta::specta]
pub fn dashboard(state: State<AppState>, from: String, to: String) -> CmdResult<Dashboard> {
    state.on_ledger(|l| l.dashboard(&from, &to))
}

#[tauri::command]
#[specta::specta]
pub fn save_month_targets(
    state: State<AppState>,
    month: String,
    targets: MonthTargets,
) -> CmdResult<()> {
    state.on_ledger(|l| l.save_month_targets(&month, &targets))
}

/// Writes the work report (日報 / 月報) of a period; returns the rows written.
#[tauri::command]
#[specta::specta]
pub fn export_work_report(
    state: State<AppState>,
    from: String,
    to: String,
    dest: PathBuf,
    replace: bool,
) -> CmdResult<u32> {
    state.on_ledger(|l| {
        daicho_mailing::work_report::export_work_report(l, &from, &to, &dest, replace)
    })
}
