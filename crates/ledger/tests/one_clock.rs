//! One clock: the customer list's flags and filters, the segment conditions
//! and Today measure "overdue" and "stale" against the same day, the one the
//! caller passes in. Asked about a fixed day that is not the real today,
//! all three must pick the same customers.

use chrono::NaiveDate;
use daicho_ledger::contacts::ContactInput;
use daicho_ledger::segments::{Condition, Group, Part};
use daicho_ledger::today::TodayKind;
use daicho_ledger::*;

/// Years from the real today, so that nothing agrees by accident.
fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 3, 15).unwrap()
}

fn on(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

/// A customer whose last contact was on `last` (logged as of the fixed day).
fn customer(ledger: &mut Ledger, family: &str, grade: Option<Grade>, last: &str) -> i64 {
    let fields = CustomerFields {
        family_name: family.into(),
        given_name: "太郎".into(),
        grade,
        ..Default::default()
    };
    let id = ledger
        .create_customer(&Actor::system(), &fields)
        .unwrap()
        .id;
    let kind_id = ledger.contact_kinds().unwrap()[0].id;
    let contact = ContactInput {
        customer_id: id,
        kind_id,
        at: format!("{last} 10:00"),
        note: String::new(),
        next_on: None,
        next_note: String::new(),
    };
    ledger
        .log_contact(&Actor::system(), &contact, day())
        .unwrap();
    id
}

fn only(condition: Condition) -> Group {
    Group {
        all: true,
        parts: vec![Part::Condition { condition }],
    }
}

fn listed(ledger: &Ledger, query: CustomerQuery) -> Vec<CustomerRow> {
    let query = CustomerQuery {
        sort: SortKey::Created,
        ..query
    };
    ledger.list_customers(&query, day()).unwrap().rows
}

fn ids(rows: &[CustomerRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

#[test]
fn list_segments_and_today_agree_on_who_is_overdue_on_a_given_day() {
    let (_dir, mut ledger) = open_temp();
    // Grade A is contacted every 7 days, B every 14: due on the 14th is
    // overdue on the 15th, due on the 15th is not yet.
    let a_late = customer(&mut ledger, "青木", Some(Grade::A), "2031-03-07");
    customer(&mut ledger, "浅野", Some(Grade::A), "2031-03-08");
    customer(&mut ledger, "天野", Some(Grade::A), "2031-03-14");
    let b_late = customer(&mut ledger, "馬場", Some(Grade::B), "2031-02-28");
    customer(&mut ledger, "坂東", Some(Grade::B), "2031-03-01");
    customer(&mut ledger, "宇野", None, "2031-01-06");
    // Late, but the customer has passed away: overdue nowhere.
    let passed = customer(&mut ledger, "上野", Some(Grade::A), "2031-03-01");
    let mut fields = ledger.customer(passed).unwrap().fields;
    fields.deceased = true;
    ledger
        .update_customer(&Actor::system(), passed, &fields)
        .unwrap();
    let overdue = vec![a_late, b_late];

    let filtered = listed(
        &ledger,
        CustomerQuery {
            overdue_only: true,
            ..Default::default()
        },
    );
    assert_eq!(ids(&filtered), overdue, "the list's filter");
    let flagged: Vec<CustomerRow> = listed(&ledger, CustomerQuery::default())
        .into_iter()
        .filter(|r| r.overdue)
        .collect();
    assert_eq!(ids(&flagged), overdue, "the list's flag");
    let segment = ledger
        .filter_member_ids(&only(Condition::Overdue { yes: true }), day())
        .unwrap();
    assert_eq!(segment, overdue, "the segment condition");
    let today = ledger.today(day()).unwrap();
    let section = today
        .sections
        .iter()
        .find(|s| s.kind == TodayKind::Overdue)
        .unwrap();
    let mut on_today: Vec<i64> = section.items.iter().map(|i| i.customer_id).collect();
    on_today.sort_unstable();
    assert_eq!(on_today, overdue, "Today");
}

#[test]
fn list_and_segments_agree_on_who_is_stale_on_a_given_day() {
    let (dir, mut ledger) = open_temp();
    let old = customer(&mut ledger, "古川", Some(Grade::C), "2031-01-06");
    let recent = customer(&mut ledger, "新井", Some(Grade::C), "2031-01-06");
    // A record is stale 30 days (the default) after its last update, counted
    // in the office's days; the ledger writes `updated_at` itself, so the
    // test sets it on the file.
    let file = rusqlite::Connection::open(dir.path().join("daicho.sqlite3")).unwrap();
    for (id, at) in [
        (old, "2031-02-13T12:00:00.000Z"),
        (recent, "2031-02-14T12:00:00.000Z"),
    ] {
        file.execute(
            "UPDATE customers SET updated_at = ?1 WHERE id = ?2",
            rusqlite::params![at, id],
        )
        .unwrap();
    }

    let filtered = listed(
        &ledger,
        CustomerQuery {
            stale_only: true,
            ..Default::default()
        },
    );
    assert_eq!(ids(&filtered), [old], "the list's filter");
    let flagged: Vec<CustomerRow> = listed(&ledger, CustomerQuery::default())
        .into_iter()
        .filter(|r| r.stale)
        .collect();
    assert_eq!(ids(&flagged), [old], "the list's flag");
    for condition in [
        Condition::Stale { yes: true },
        Condition::NotUpdatedFor { days: 30 },
    ] {
        let segment = ledger.filter_member_ids(&only(condition.clone()), day());
        assert_eq!(segment.unwrap(), [old], "{condition:?}");
    }
    let fresh = ledger
        .filter_member_ids(&only(Condition::Stale { yes: false }), day())
        .unwrap();
    assert_eq!(fresh, [recent]);
    // The day before, neither is stale yet.
    let day_before = on("2031-03-14");
    let stale_then = ledger
        .filter_member_ids(&only(Condition::Stale { yes: true }), day_before)
        .unwrap();
    assert!(stale_then.is_empty());
}
