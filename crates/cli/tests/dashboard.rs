//! `daicho dashboard` after importing an old roster into an empty ledger:
//! the roster's statuses are the past, so the import's month shows no
//! negotiations started, no conversions and no lost deals, while a status a
//! person changes afterwards is counted on its day.

mod common;
use common::daicho;

use std::path::Path;
use std::process::Output;

use daicho_ledger::contacts::local_today;
use daicho_ledger::{Actor, CustomerQuery, Ledger, Stage, StatusInput};
use serde_json::Value;

fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(output: Output) -> Value {
    serde_json::from_slice(&succeeded(output).stdout).unwrap()
}

/// `daicho dashboard` for the current month, as JSON.
fn this_month(db: &Path) -> Value {
    let today = local_today();
    let first = today.format("%Y-%m-01").to_string();
    let to = today.to_string();
    json(daicho(
        db,
        &["dashboard", "--from", &first, "--to", &to, "--json"],
    ))
}

/// Negotiations started and contracts of the month, the funnel, and the
/// lost deals of the period.
fn figures(board: &Value) -> (u64, u64, Vec<u64>, u64) {
    let actual = &board["months"][0]["actual"];
    let funnel = board["funnel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["customers"].as_u64().unwrap())
        .collect();
    let lost = board["lost_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    (
        actual["negotiations"].as_u64().unwrap(),
        actual["contracts"].as_u64().unwrap(),
        funnel,
        lost,
    )
}

fn import_roster(db: &Path) {
    let roster = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/rosters/roster_basic.xlsx");
    let report = json(daicho(db, &["import", roster.to_str().unwrap(), "--json"]));
    assert_eq!(report["created"], 300);
}

#[test]
fn the_month_of_an_import_into_an_empty_ledger_shows_no_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    import_roster(&db);

    let board = this_month(&db);
    assert_eq!(figures(&board), (0, 0, vec![0, 0, 0, 0], 0));
    assert_eq!(board["months"][0]["actual"]["inquiries"], 0);
    let negotiating: u64 = board["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "商談中")
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert!(negotiating > 0, "the roster does have customers in 商談中");

    let text = String::from_utf8(succeeded(daicho(&db, &["dashboard"])).stdout).unwrap();
    assert!(text.contains("商談開始 0 / 0"), "{text}");
    assert!(text.contains("■ 失注理由\n  （なし）"), "{text}");
}

#[test]
fn a_status_a_person_changes_after_the_import_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    import_roster(&db);
    {
        let mut ledger = Ledger::open(&db).unwrap();
        let statuses = ledger.statuses().unwrap();
        let stage_of = |id: i64| statuses.iter().find(|s| s.id == id).unwrap().stage;
        let negotiating = statuses.iter().find(|s| s.name == "商談中").unwrap().id;
        let lost = ledger
            .save_status(&StatusInput {
                id: None,
                name: "失注".into(),
                stage: Stage::Lost,
                dm_allowed: true,
                color: "#b91c1c".into(),
                retired: false,
            })
            .unwrap()
            .id;
        let page = ledger
            .list_customers(
                &CustomerQuery {
                    limit: 1000,
                    ..Default::default()
                },
                local_today(),
            )
            .unwrap();
        let mut inquiries = page.rows.iter().filter(|row| {
            let status = ledger.customer(row.id).unwrap().fields.status_id.unwrap();
            stage_of(status) == Stage::Inquiry
        });
        let (first, second) = (inquiries.next().unwrap().id, inquiries.next().unwrap().id);
        let me = Actor::user(None);
        ledger
            .change_status(&me, first, negotiating, "来場", "")
            .unwrap();
        ledger
            .change_status(&me, second, lost, "", "予算が合わない")
            .unwrap();
    }

    let board = this_month(&db);
    assert_eq!(
        figures(&board),
        (1, 0, vec![0, 0, 0, 0], 1),
        "the funnel follows the month's inquiries, and the roster brought none"
    );
    assert_eq!(board["lost_reasons"][0]["name"], "予算が合わない");
    let text = String::from_utf8(succeeded(daicho(&db, &["dashboard"])).stdout).unwrap();
    assert!(text.contains("商談開始 1 / 0"), "{text}");
    assert!(text.contains("1 件  予算が合わない"), "{text}");
}
