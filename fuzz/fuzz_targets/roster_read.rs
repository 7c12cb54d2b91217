//! Any bytes, saved under any roster extension, read and planned: an error
//! message or a plan, never a panic or a hang.
#![no_main]

use std::sync::LazyLock;

use daicho_ledger::{Ledger, Status};
use libfuzzer_sys::fuzz_target;

const EXTENSIONS: [&str; 6] = ["xlsx", "xls", "ods", "csv", "tsv", "txt"];

static STATUSES: LazyLock<Vec<Status>> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    Ledger::open(dir.path().join("l.sqlite3"))
        .unwrap()
        .statuses()
        .unwrap()
});

fuzz_target!(
    init: {
        // libfuzzer-sys aborts at any panic, even one the reader catches on
        // purpose (calamine's assertions on malformed files); a panic that
        // escapes the reader still aborts when it reaches libfuzzer-sys.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(format!("名簿.{}", EXTENSIONS[usize::from(first) % EXTENSIONS.len()]));
    std::fs::write(&path, bytes).unwrap();
    if let Ok(book) = daicho_roster::read(&path, None) {
        let _ = daicho_roster::plan(book, &STATUSES, &Default::default());
    }
    }
);
