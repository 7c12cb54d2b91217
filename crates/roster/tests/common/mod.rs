//! What the fixture tests share: the roster fixtures, one import of a file
//! into a fresh ledger, and the file's truth.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use daicho_ledger::contacts::local_today;
use daicho_ledger::import::FileCounts;
use daicho_ledger::{Actor, Customer, CustomerQuery, Ledger};
use daicho_roster::{plan, read, PlanOptions};
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rosters")
}

pub struct Imported {
    pub _dir: tempfile::TempDir,
    pub ledger: Ledger,
    pub truth: Value,
    pub plan: daicho_roster::RosterPlan,
}

/// The file planned with the default options and committed whole into a
/// fresh ledger, with its truth file.
pub fn import(file: &str) -> Imported {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let book = read(&fixtures().join(file), None).unwrap();
    let plan = plan(book, &ledger.statuses().unwrap(), &PlanOptions::default()).unwrap();
    let counts = FileCounts {
        rows: plan.rows,
        skipped: plan.skipped.len() as u32,
        warnings: plan.warnings.len() as u32,
    };
    ledger
        .import_records(
            &Actor::system(),
            file,
            &plan.records,
            counts,
            &mut |_, _| true,
        )
        .unwrap();
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("truth").join(format!("{file}.json"))).unwrap(),
    )
    .unwrap();
    Imported {
        _dir: dir,
        ledger,
        truth,
        plan,
    }
}

/// Every customer in the ledger, whole.
pub fn customers(ledger: &Ledger) -> Vec<Customer> {
    let all = ledger
        .list_customers(
            &CustomerQuery {
                limit: 100_000,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    all.rows
        .iter()
        .map(|r| ledger.customer(r.id).unwrap())
        .collect()
}

pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}
