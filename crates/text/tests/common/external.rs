//! Public test data that other projects and official bodies wrote, read from
//! `../shared/reference/external-tests/` beside the clone (never copied into
//! the repository). Where that folder is absent the caller says so and skips.

use std::path::PathBuf;

/// The folder of external test files, if this machine has it.
pub fn folder() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/external-tests");
    dir.is_dir().then_some(dir)
}

/// One external test file, parsed; `None` (with a line on stderr saying so)
/// when the folder is absent.
pub fn load(file: &str) -> Option<serde_json::Value> {
    let Some(dir) = folder() else {
        eprintln!("skipped: ../shared/reference/external-tests is not beside this clone");
        return None;
    };
    let text = std::fs::read_to_string(dir.join(file)).expect("external test file readable");
    Some(serde_json::from_str(&text).expect("external test file is JSON"))
}

/// Fails with the first `shown` failures and the count, after every case ran.
pub fn assert_all_pass(what: &str, total: usize, failures: &[String]) {
    const SHOWN: usize = 40;
    let listed: Vec<&str> = failures.iter().take(SHOWN).map(String::as_str).collect();
    assert!(
        failures.is_empty(),
        "{what}: {} of {total} cases fail:\n{}",
        failures.len(),
        listed.join("\n")
    );
    eprintln!("{what}: all {total} cases pass");
}
