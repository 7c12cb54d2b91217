//! The numbers count the office's work, never what an import wrote: a
//! roster's statuses are the past, whatever day it was imported on.

use daicho_ledger::contacts::local_today;
use daicho_ledger::dashboard::Dashboard;
use daicho_ledger::import::{FileCounts, ImportRecord, RowRef};
use daicho_ledger::merge::{FieldPick, Pick};
use daicho_ledger::*;

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn me() -> Actor {
    Actor::user(None)
}

fn status(ledger: &Ledger, name: &str) -> i64 {
    ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
        .id
}

fn lost_status(ledger: &mut Ledger) -> i64 {
    ledger
        .save_status(&StatusInput {
            id: None,
            name: "失注".into(),
            stage: Stage::Lost,
            dm_allowed: true,
            color: "#b91c1c".into(),
            retired: false,
        })
        .unwrap()
        .id
}

fn person(family: &str, phone: &str, status_id: i64) -> CustomerFields {
    CustomerFields {
        family_name: family.into(),
        given_name: "太郎".into(),
        phone: phone.into(),
        status_id: Some(status_id),
        ..Default::default()
    }
}

fn import(ledger: &mut Ledger, people: &[CustomerFields], overwrite: &[&str]) {
    let records: Vec<ImportRecord> = people
        .iter()
        .enumerate()
        .map(|(i, fields)| ImportRecord {
            origin: vec![RowRef {
                sheet: "名簿".into(),
                row: i as u32 + 2,
            }],
            fields: fields.clone(),
            members: Vec::new(),
            overwrite: overwrite.iter().map(|f| f.to_string()).collect(),
        })
        .collect();
    let counts = FileCounts {
        rows: records.len() as u32,
        skipped: 0,
        warnings: 0,
    };
    ledger
        .import_records(&me(), "名簿.xlsx", &records, counts, &mut |_, _| true)
        .unwrap();
}

fn today(ledger: &Ledger) -> Dashboard {
    let today = local_today().to_string();
    ledger.dashboard(&today, &today).unwrap()
}

/// Inquiries, negotiations started, contracts and lost deals of the month.
fn month(board: &Dashboard) -> (u32, u32, u32, u32) {
    let m = &board.months[0];
    let lost = board.lost_reasons.iter().map(|r| r.count).sum();
    (
        m.actual.inquiries,
        m.actual.negotiations,
        m.actual.contracts,
        lost,
    )
}

fn funnel(board: &Dashboard) -> Vec<u32> {
    board.funnel.iter().map(|f| f.customers).collect()
}

#[test]
fn an_import_into_an_empty_ledger_is_no_work_until_a_person_moves_a_customer() {
    let (_dir, mut ledger) = open_temp();
    let lost = lost_status(&mut ledger);
    let negotiating = status(&ledger, "商談中");
    let contract = status(&ledger, "契約");
    let nurture = status(&ledger, "管理客");
    import(
        &mut ledger,
        &[
            person("一号", "03-1111-0001", negotiating),
            person("二号", "03-1111-0002", negotiating),
            person("三号", "03-1111-0003", contract),
            person("四号", "03-1111-0004", lost),
            person("五号", "03-1111-0005", nurture),
        ],
        &[],
    );

    let board = today(&ledger);
    assert_eq!(
        month(&board),
        (0, 0, 0, 0),
        "the roster's statuses are the past"
    );
    assert_eq!(funnel(&board), [0, 0, 0, 0]);
    assert!(board.by_source.is_empty() && board.by_campaign.is_empty());
    assert_eq!(
        board.by_status.iter().map(|s| s.count).sum::<u32>(),
        5,
        "the snapshot still shows every customer"
    );

    // The office's own work after the import counts on its day.
    let five = ledger
        .list_customers(&CustomerQuery::default(), local_today())
        .unwrap();
    let id = |family: &str| {
        five.rows
            .iter()
            .find(|r| r.family_name == family)
            .unwrap()
            .id
    };
    ledger
        .change_status(&me(), id("五号"), negotiating, "来場", "")
        .unwrap();
    ledger
        .change_status(&me(), id("二号"), lost, "", "他社決定")
        .unwrap();
    let board = today(&ledger);
    assert_eq!(month(&board), (0, 1, 0, 1));
    assert_eq!(board.lost_reasons[0].name, "他社決定");
}

#[test]
fn a_status_an_import_merge_overwrote_is_not_work_but_the_next_move_is() {
    let (_dir, mut ledger) = open_temp();
    let inquiry = status(&ledger, "WEBからの新規引合い");
    let negotiating = status(&ledger, "商談中");
    let contract = status(&ledger, "契約");
    let walk_in = ledger
        .create_customer(&me(), &person("山田", "03-2222-0001", inquiry))
        .unwrap()
        .id;
    // The roster says 山田 is negotiating; the office chose the file's status.
    import(
        &mut ledger,
        &[person("山田", "03-2222-0001", negotiating)],
        &["status_id"],
    );
    assert_eq!(
        ledger.customer(walk_in).unwrap().fields.status_id,
        Some(negotiating)
    );
    let board = today(&ledger);
    assert_eq!(
        month(&board),
        (1, 0, 0, 0),
        "an inquiry by hand, no negotiation"
    );
    assert_eq!(funnel(&board), [1, 0, 0, 0]);

    ledger
        .change_status(&me(), walk_in, contract, "", "")
        .unwrap();
    let board = today(&ledger);
    assert_eq!(
        month(&board),
        (1, 0, 0, 0),
        "a contract stage is not a negotiation"
    );
    assert_eq!(
        funnel(&board),
        [1, 1, 1, 0],
        "reaching a contract by hand passes the negotiation stage"
    );
}

#[test]
fn a_customer_registered_by_hand_in_a_negotiation_counts_and_the_trash_does_not() {
    let (_dir, mut ledger) = open_temp();
    let negotiating = status(&ledger, "商談中");
    let a = ledger
        .create_customer(&me(), &person("一号", "03-3333-0001", negotiating))
        .unwrap()
        .id;
    ledger
        .create_customer(&me(), &person("二号", "03-3333-0002", negotiating))
        .unwrap();
    assert_eq!(month(&today(&ledger)), (2, 2, 0, 0));
    assert_eq!(funnel(&today(&ledger)), [2, 2, 0, 0]);

    ledger.trash_customer(&me(), a).unwrap();
    assert_eq!(month(&today(&ledger)), (1, 1, 0, 0));
}

#[test]
fn a_period_before_the_work_counts_nothing() {
    let (_dir, mut ledger) = open_temp();
    let negotiating = status(&ledger, "商談中");
    ledger
        .create_customer(&me(), &person("一号", "03-4444-0001", negotiating))
        .unwrap();
    let board = ledger.dashboard("2000-01-01", "2000-02-15").unwrap();
    let months: Vec<&str> = board.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2000-01", "2000-02"]);
    assert!(board.months.iter().all(|m| m.actual == Default::default()));
    assert_eq!(funnel(&board), [0, 0, 0, 0]);
}

#[test]
fn merging_two_records_of_one_person_is_no_move_but_their_past_moves_stay() {
    let (_dir, mut ledger) = open_temp();
    let lost = lost_status(&mut ledger);
    let inquiry = status(&ledger, "WEBからの新規引合い");
    let kept = ledger
        .create_customer(&me(), &person("山田", "03-5555-0001", inquiry))
        .unwrap()
        .id;
    let other = ledger
        .create_customer(&me(), &person("山田", "03-5555-0001", inquiry))
        .unwrap()
        .id;
    ledger
        .change_status(&me(), other, lost, "", "他社決定")
        .unwrap();
    assert_eq!(month(&today(&ledger)), (2, 0, 0, 1));

    // The survivor takes the other record's status: the deal was lost once,
    // by the other record's move, which comes along with it.
    let picks = [FieldPick {
        field: "status_id".into(),
        pick: Pick::Other,
    }];
    ledger.merge_customers(&me(), kept, other, &picks).unwrap();
    assert_eq!(ledger.customer(kept).unwrap().fields.status_id, Some(lost));
    let board = today(&ledger);
    assert_eq!(month(&board), (1, 0, 0, 1), "one person, one lost deal");
    assert_eq!(board.lost_reasons[0].name, "他社決定");
}
