//! The plan a preview showed is reused by the commit only while the file,
//! the options and what the plan read from the ledger are unchanged.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use daicho_ledger::{Actor, Ledger, Stage, StatusInput};
use daicho_roster::{plan_file, PlanCache, PlanOptions};

const ROSTER: &str = "氏名,電話,区分\n山田太郎,03-1234-5678,来場済\n";

fn roster_and_ledger() -> (tempfile::TempDir, Ledger, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let path = dir.path().join("名簿.csv");
    std::fs::write(&path, ROSTER).unwrap();
    (dir, ledger, path)
}

fn write_keeping_time(path: &Path, text: &str) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text).unwrap();
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

fn planned_name(plans: &mut PlanCache, ledger: &Ledger, path: &Path) -> String {
    let (plan, _) = plans
        .plan(path, ledger, PlanOptions::default(), None)
        .unwrap();
    plan.records[0].fields.family_name.clone()
}

#[test]
fn the_same_file_and_choices_are_planned_once() {
    let (_dir, ledger, path) = roster_and_ledger();
    let mut plans = PlanCache::default();
    let first = plans
        .plan(&path, &ledger, PlanOptions::default(), None)
        .unwrap()
        .0
        .clone();
    plans
        .plan(&path, &ledger, PlanOptions::default(), None)
        .unwrap();
    assert_eq!(plans.plans_made(), 1);
    let fresh = plan_file(&path, &ledger, PlanOptions::default(), None).unwrap();
    assert_eq!(first, fresh.0);
    plans.forget();
    planned_name(&mut plans, &ledger, &path);
    assert_eq!(plans.plans_made(), 2);
}

#[test]
fn a_file_changed_at_the_same_size_and_time_is_planned_again() {
    let (_dir, ledger, path) = roster_and_ledger();
    let mut plans = PlanCache::default();
    assert_eq!(planned_name(&mut plans, &ledger, &path), "山田");
    // One kanji for another: same length in bytes, same time.
    write_keeping_time(&path, &ROSTER.replace("山田", "川田"));
    assert_eq!(planned_name(&mut plans, &ledger, &path), "川田");
    assert_eq!(plans.plans_made(), 2);
}

#[test]
fn other_options_or_another_ledger_state_are_planned_again() {
    let (_dir, mut ledger, path) = roster_and_ledger();
    let mut plans = PlanCache::default();
    let status = |plans: &mut PlanCache, ledger: &Ledger, options: PlanOptions| {
        plans.plan(&path, ledger, options, None).unwrap().0.records[0]
            .fields
            .status_id
    };
    assert_eq!(status(&mut plans, &ledger, PlanOptions::default()), None);

    let visited = ledger
        .save_status(&StatusInput {
            id: None,
            name: "来場済".into(),
            stage: Stage::Inquiry,
            dm_allowed: true,
            color: "#888888".into(),
            retired: false,
        })
        .unwrap();
    assert_eq!(
        status(&mut plans, &ledger, PlanOptions::default()),
        Some(visited.id)
    );
    assert_eq!(plans.plans_made(), 2);

    let chosen = ledger.statuses().unwrap()[0].id;
    let options = PlanOptions {
        status_values: [("来場済".to_string(), chosen)].into(),
        ..Default::default()
    };
    assert_eq!(status(&mut plans, &ledger, options), Some(chosen));
    assert_eq!(plans.plans_made(), 3);

    // A missing file is planned (and refused) rather than taken from memory.
    std::fs::remove_file(&path).unwrap();
    assert!(plans
        .plan(&path, &ledger, PlanOptions::default(), None)
        .is_err());
}

#[test]
fn a_commit_uses_the_kept_plan_and_lets_it_go_once_done() {
    let (_dir, mut ledger, path) = roster_and_ledger();
    let mut plans = PlanCache::default();
    planned_name(&mut plans, &ledger, &path);
    let commit = |plans: &mut PlanCache, ledger: &mut Ledger, cancel: bool| {
        plans.commit(
            &path,
            ledger,
            &Actor::system(),
            PlanOptions::default(),
            None,
            &AtomicBool::new(cancel),
            &mut |_| {},
        )
    };
    // A cancelled commit keeps the plan for another try.
    assert!(commit(&mut plans, &mut ledger, true).is_err());
    assert_eq!(ledger.stats().unwrap().customers, 0);
    let outcome = commit(&mut plans, &mut ledger, false).unwrap();
    assert_eq!(outcome.created, 1);
    assert_eq!(plans.plans_made(), 1);
    planned_name(&mut plans, &ledger, &path);
    assert_eq!(plans.plans_made(), 2);
}
