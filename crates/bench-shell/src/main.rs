//! A bare Tauri window: the baseline the app's cold start is measured against.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("bare window");
}
