//! The Tauri shell: opens the ledger, registers the commands and plugins.
//! Everything the office does is in the domain crates.

mod access_commands;
mod backup_commands;
mod commands;
mod dm_commands;
mod duplicate_commands;
mod error;
mod followup_commands;
mod import_commands;
mod office;
mod office_commands;
mod privacy_commands;
mod request_commands;
mod state;

use std::path::PathBuf;

use tauri::Manager;

pub use error::CommandError;

/// Facts the UI takes from Rust instead of retyping them. One constant:
/// tauri-specta writes several in an order that changes from run to run,
/// which the bindings drift test would see.
#[derive(serde::Serialize, specta::Type)]
struct RustFacts {
    customer_columns: Vec<daicho_ledger::CustomerColumn>,
    blank_customer: daicho_ledger::CustomerFields,
    dm_default_columns: Vec<daicho_mailing::Column>,
    /// The print options before the office's saved ones have loaded.
    print_defaults: daicho_mailing::print::PrintOptions,
    /// The formats printed in the office (a sheet or a card, not columns).
    print_formats: Vec<daicho_mailing::FileFormat>,
    /// The categories 住宅品確法 covers for `statutory_years` whatever the
    /// office's own periods.
    statutory_categories: Vec<String>,
    statutory_years: u32,
    /// 管理者・営業・事務・閲覧のみ, as refusals and the CLI name them.
    role_labels: Vec<(daicho_ledger::Role, String)>,
    /// What the export record calls each kind of file (or erasure).
    export_kind_labels: Vec<(daicho_ledger::ExportKind, String)>,
    /// The bits of an id that number one PC's own rows: another PC's ids
    /// are shown as `3-17` (`daicho_ledger::ids::display`).
    id_device_bits: u32,
}

impl RustFacts {
    fn now() -> Self {
        Self {
            customer_columns: daicho_ledger::CUSTOMER_COLUMNS.to_vec(),
            blank_customer: daicho_ledger::CustomerFields::default(),
            dm_default_columns: daicho_mailing::default_columns(),
            print_defaults: daicho_mailing::print::PrintOptions::default(),
            print_formats: daicho_mailing::FileFormat::ALL
                .into_iter()
                .filter(|f| f.print_kind().is_some())
                .collect(),
            statutory_categories: daicho_ledger::requests::STATUTORY_CATEGORIES
                .map(String::from)
                .to_vec(),
            statutory_years: daicho_ledger::requests::STATUTORY_YEARS,
            role_labels: daicho_ledger::Role::ALL
                .map(|r| (r, r.label().to_string()))
                .to_vec(),
            export_kind_labels: daicho_ledger::ExportKind::ALL
                .map(|k| (k, k.label().to_string()))
                .to_vec(),
            id_device_bits: daicho_ledger::ids::DEVICE_BITS,
        }
    }
}

/// The typed command list; `ui/src/bindings.ts` is generated from it.
// A declarative table, one line per command: splitting it would only scatter
// the list the bindings are generated from.
#[allow(clippy::too_many_lines)]
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use access_commands::*;
    use backup_commands::*;
    use commands::*;
    use dm_commands::*;
    use duplicate_commands::*;
    use followup_commands::*;
    use import_commands::*;
    use office_commands::*;
    use privacy_commands::*;
    use request_commands::*;
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            app_status,
            sync_info,
            office_setup,
            become_hub,
            pairing_code,
            find_hubs,
            join_office,
            preview_previous_ledger,
            import_previous_ledger,
            leave_office,
            repair_from_hub,
            conflict_cards,
            conflicted_fields,
            resolve_conflict,
            session_info,
            sign_in_choices,
            sign_in,
            lock_ledger,
            set_pin,
            get_access_settings,
            save_access_settings,
            export_log,
            access_rules,
            apply_preset,
            list_customers,
            get_customer,
            create_customer,
            update_customer,
            change_status,
            trash_customer,
            restore_customer,
            set_customer_labels,
            set_household,
            customer_history,
            list_statuses,
            save_status,
            reorder_statuses,
            list_labels,
            save_label,
            delete_label,
            list_staff,
            save_staff,
            save_settings,
            ledger_stats,
            add_sample_data,
            list_backups,
            backup_now,
            restore_backup,
            second_place_status,
            save_second_place,
            backup_to_second_place,
            list_all_backups,
            copy_ledger_to_this_pc,
            lookup_postal,
            import_preview,
            import_commit,
            import_cancel,
            import_forget,
            list_imports,
            undo_import,
            save_import_mapping,
            save_import_report,
            list_segments,
            save_segment,
            preview_filter,
            set_list_members,
            snapshot_segment,
            add_search_to_list,
            print_setup,
            save_print_options,
            print_preview,
            open_written_file,
            prepare_dm,
            export_dm,
            list_mailings,
            list_templates,
            save_template,
            get_check_options,
            save_check_options,
            today,
            list_contact_kinds,
            save_contact_kind,
            list_contacts,
            log_contact,
            delete_contact,
            list_tasks,
            set_task_done,
            list_projects,
            save_project,
            delete_project,
            customer_referrals,
            referral_network,
            list_campaigns,
            save_campaign,
            campaign_results,
            get_follow_up_settings,
            save_follow_up_settings,
            dashboard,
            save_month_targets,
            export_work_report,
            erasure_preview,
            erase_customer,
            disclose_customer,
            duplicate_candidates,
            mark_distinct,
            merge_plan,
            merge_customers,
            undo_merge,
            list_merges,
            list_requests,
            get_request,
            create_request,
            request_source_kinds,
            create_request_from_contact,
            update_request,
            assign_request,
            move_request,
            close_request,
            log_request_contact,
            request_list,
            save_request_list_entry,
            get_request_settings,
            save_request_settings,
            export_partner_sheet,
        ])
        .constant("RUST_FACTS", RustFacts::now())
}

const BINDINGS_HEADER: &str = "// Generated from the Rust commands by \
    `UPDATE_BINDINGS=1 cargo test -p daicho-app`. Do not edit.\n/* eslint-disable */\n// @ts-nocheck";

/// The TypeScript bindings as they must read for the current commands.
pub fn typescript_bindings() -> String {
    let dir = std::env::temp_dir().join(format!("daicho-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bindings.ts");
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .bigint(specta_typescript::BigIntExportBehavior::Number)
                .header(BINDINGS_HEADER),
            &file,
        )
        .expect("export TypeScript bindings");
    let text = std::fs::read_to_string(&file).expect("read bindings");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// `--db PATH` on the command line, then `DAICHO_DB`, then the app's local
/// data directory.
fn ledger_path(app: &tauri::App) -> PathBuf {
    let mut args = std::env::args().skip_while(|a| a != "--db").skip(1);
    if let Some(path) = args.next() {
        return PathBuf::from(path);
    }
    if let Some(path) = std::env::var_os("DAICHO_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    app.path()
        .app_local_data_dir()
        .map(|dir| dir.join(daicho_ledger::LEDGER_FILE_NAME))
        .unwrap_or_else(|_| PathBuf::from(daicho_ledger::LEDGER_FILE_NAME))
}

/// The window shows the app's own pages and nothing else: a link or a script
/// that sends it to a web address is refused (docs/security.md).
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_, url| {
            url.scheme() == "tauri"
                || url.host_str() == Some("tauri.localhost")
                || (tauri::is_dev() && url.host_str() == Some("localhost"))
        })
        .build()
}

/// Staged DM files a killed export left: now, and again once those written
/// just before this start are old enough to be sure no export still owns
/// them (`daicho_mailing::write::sweep_left_behind`).
fn sweep_unfinished_exports() {
    std::thread::spawn(|| {
        daicho_mailing::unfinished::sweep_unfinished();
        let minute = std::time::Duration::from_secs(60);
        std::thread::sleep(daicho_mailing::write::STALE_AFTER + minute);
        daicho_mailing::unfinished::sweep_unfinished();
    });
}

pub fn run() {
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        // The hub PC starts Daichō with the user's login (office.rs).
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(navigation_guard())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let path = ledger_path(app);
            app.manage(state::AppState::open(path));
            sweep_unfinished_exports();
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Daichō");
}

#[cfg(test)]
mod tests {
    /// The UI calls only the generated bindings; this fails when they no
    /// longer match the Rust commands. Regenerate with UPDATE_BINDINGS=1.
    #[test]
    fn bindings_match_the_rust_commands() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let expected = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == expected,
            "ui/src/bindings.ts is out of date with the Rust commands: \
             run `UPDATE_BINDINGS=1 cargo test -p daicho-app bindings`"
        );
    }
}
