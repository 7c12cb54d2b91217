//! Any JSON the UI could send as a segment filter: refused while parsing, or
//! compiled to parameterized SQL that runs. A filter that parses must never
//! give an SQL error.
#![no_main]

use std::cell::RefCell;

use daicho_ledger::segments::Group;
use daicho_ledger::{Actor, Ledger};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static LEDGER: RefCell<(tempfile::TempDir, Ledger)> = RefCell::new({
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(dir.path().join("l.sqlite3")).unwrap();
        ledger.add_sample_data(&Actor::system(), 60, 7).unwrap();
        (dir, ledger)
    });
}

fuzz_target!(|data: &[u8]| {
    let Ok(filter) = serde_json::from_slice::<Group>(data) else {
        return;
    };
    LEDGER.with(|cell| {
        let (_, ledger) = &*cell.borrow();
        if let Err(e) = ledger.filter_member_ids(&filter, daicho_ledger::contacts::local_today()) {
            panic!("{e} for {}", serde_json::to_string(&filter).unwrap());
        }
    });
});
