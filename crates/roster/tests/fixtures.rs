//! The four real-world rosters in tests/fixtures/rosters, each imported into
//! a fresh ledger and compared with its truth file: the exact number of
//! distinct people and every name, kana, postal code, phone, birthday,
//! address, status and DM flag.

use std::path::{Path, PathBuf};

use daicho_ledger::import::FileCounts;
use daicho_ledger::{Actor, CustomerQuery, Ledger};
use daicho_roster::{plan, read, PlanOptions};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rosters")
}

struct Imported {
    _dir: tempfile::TempDir,
    ledger: Ledger,
    truth: Value,
    plan: daicho_roster::RosterPlan,
}

fn import(file: &str) -> Imported {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let book = read(&fixtures().join(file), None).unwrap();
    let plan = plan(&book, &ledger.statuses().unwrap(), &PlanOptions::default()).unwrap();
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

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Every person of the truth file, found and checked field by field.
fn check(file: &str) {
    let imported = import(file);
    let ledger = &imported.ledger;
    let people = imported.truth["people"].as_array().unwrap();
    let all = ledger
        .list_customers(&CustomerQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    let customers: Vec<_> = all
        .rows
        .iter()
        .map(|r| ledger.customer(r.id).unwrap())
        .collect();
    assert_eq!(
        all.total as usize,
        people.len(),
        "{file}: distinct people (skipped: {:?})",
        imported.plan.skipped.iter().take(5).collect::<Vec<_>>()
    );
    let statuses = ledger.statuses().unwrap();
    let mut problems = Vec::new();
    for person in people {
        let s = |k: &str| person[k].as_str().unwrap_or("").to_string();
        let phone = digits(&s("phone"));
        let found = customers.iter().find(|c| {
            c.fields.family_name == s("family")
                && c.fields.given_name == s("given")
                && (digits(&c.fields.phone) == phone || digits(&c.fields.mobile) == phone)
        });
        let Some(c) = found else {
            problems.push(format!(
                "not found: {} {} {}",
                s("family"),
                s("given"),
                s("phone")
            ));
            continue;
        };
        let f = &c.fields;
        let status = statuses
            .iter()
            .find(|st| Some(st.id) == f.status_id)
            .map(|st| st.name.clone())
            .unwrap_or_default();
        for (what, got, want) in [
            ("family_kana", f.family_kana.clone(), s("family_kana")),
            ("given_kana", f.given_kana.clone(), s("given_kana")),
            ("zip", f.postal_code.clone(), s("zip")),
            ("prefecture", f.prefecture.clone(), s("prefecture")),
            ("city", f.city.clone(), s("city")),
            ("street", f.address1.clone(), s("street")),
            ("building", f.address2.clone(), s("building")),
            (
                "birthday",
                f.birthday.clone().unwrap_or_default(),
                s("birthday"),
            ),
            ("status", status, s("status")),
            (
                "dm_opt_out",
                f.dm_opt_out.to_string(),
                person["dm_opt_out"].as_bool().unwrap().to_string(),
            ),
        ] {
            if got != want {
                problems.push(format!(
                    "{} {}: {what} {got:?} ≠ {want:?}",
                    s("family"),
                    s("given")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{file}: {} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn roster_basic() {
    check("roster_basic.xlsx");
}

#[test]
fn roster_messy() {
    check("roster_messy.xlsx");
}

#[test]
fn roster_fude_sjis() {
    check("roster_fude_sjis.csv");
}

#[test]
fn roster_legacy() {
    check("roster_legacy.xls");
}

#[test]
fn messy_file_reports_its_footer_and_duplicates() {
    let imported = import("roster_messy.xlsx");
    assert_eq!(imported.plan.sheets[0].header_row, 4);
    assert!(
        imported
            .plan
            .skipped
            .iter()
            .any(|s| s.reason.contains("合計")),
        "{:?}",
        imported.plan.skipped
    );
    assert_eq!(
        imported.plan.records.len() + imported.plan.merged_in_file as usize,
        432
    );
}

#[test]
fn importing_the_same_file_twice_creates_no_duplicates() {
    let mut imported = import("roster_basic.xlsx");
    let book = read(&fixtures().join("roster_basic.xlsx"), None).unwrap();
    let plan = plan(
        &book,
        &imported.ledger.statuses().unwrap(),
        &PlanOptions::default(),
    )
    .unwrap();
    let again = imported
        .ledger
        .import_records(
            &Actor::system(),
            "again",
            &plan.records,
            FileCounts::default(),
            &mut |_, _| true,
        )
        .unwrap();
    assert_eq!((again.created, again.merged), (0, 300));
    assert_eq!(imported.ledger.stats().unwrap().customers, 300);
}
