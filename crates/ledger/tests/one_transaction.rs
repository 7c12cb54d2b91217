//! Every command is one transaction: when a later step of a write fails,
//! nothing of its earlier steps is left in the ledger.

use chrono::NaiveDate;
use daicho_ledger::segments::{Condition, Group, Part};
use daicho_ledger::*;

#[test]
fn a_snapshot_whose_members_cannot_be_written_leaves_no_list_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let mut ledger = Ledger::open(&path).unwrap();
    let fields = CustomerFields {
        family_name: "青木".into(),
        grade: Some(Grade::A),
        ..Default::default()
    };
    ledger.create_customer(&Actor::system(), &fields).unwrap();
    // The members' rows are the snapshot's last step: make them fail.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse_members BEFORE INSERT ON segment_members
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        )
        .unwrap();
    let a_grade = Group {
        all: true,
        parts: vec![Part::Condition {
            condition: Condition::GradeIn {
                grades: vec![Grade::A],
            },
        }],
    };
    let today = NaiveDate::from_ymd_opt(2031, 3, 15).unwrap();

    assert!(ledger.snapshot_segment("A客", &a_grade, today).is_err());
    assert_eq!(ledger.segment_named("A客").unwrap(), None);
    assert!(ledger.segments().unwrap().is_empty());
}
