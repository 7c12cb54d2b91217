//! The two rosters of people from all over Japan (Japan Post's real
//! addresses, real area codes, every written form of block numbers, dates
//! and phones), imported as a new user would and scored field by field
//! against their truth. The text rules must reach 99.5% on each field; the
//! mismatches are printed so that a regression names its cases.

mod common;

use common::{customers, digits, import};
use daicho_ledger::Customer;
use serde_json::Value;

/// The share of the truth's people whose field came out exactly right.
const GOAL: f64 = 0.995;

/// The fields scored, each as the ledger holds it and as the truth writes it.
const FIELDS: [&str; 7] = [
    "zip",
    "prefecture",
    "city",
    "street",
    "building",
    "phone",
    "birthday",
];

fn value(c: &Customer, field: &str) -> String {
    let f = &c.fields;
    match field {
        "zip" => f.postal_code.clone(),
        "prefecture" => f.prefecture.clone(),
        "city" => f.city.clone(),
        "street" => f.address1.clone(),
        "building" => f.address2.clone(),
        // A mobile number is kept in the mobile field, wherever it was written.
        "phone" if daicho_text::is_mobile(&f.mobile) && f.phone.is_empty() => digits(&f.mobile),
        "phone" => digits(&f.phone),
        "birthday" => f.birthday.clone().unwrap_or_default(),
        _ => unreachable!("{field}"),
    }
}

fn wanted(person: &Value, field: &str) -> String {
    let text = person[field].as_str().unwrap_or("").to_string();
    if field == "phone" {
        digits(&text)
    } else {
        text
    }
}

/// The customer a truth person became: found by their phone (people never
/// share one), else by their name.
fn find<'a>(people: &'a [Customer], person: &Value) -> Option<&'a Customer> {
    let phone = digits(person["phone"].as_str().unwrap_or(""));
    let name = |c: &&Customer| {
        c.fields.family_name == person["family"].as_str().unwrap_or("")
            && c.fields.given_name == person["given"].as_str().unwrap_or("")
    };
    people
        .iter()
        .find(|c| digits(&c.fields.phone) == phone || digits(&c.fields.mobile) == phone)
        .or_else(|| people.iter().find(name))
}

fn score(file: &str) {
    let imported = import(file);
    let people = customers(&imported.ledger);
    let truth = imported.truth["people"].as_array().unwrap();
    let mut misses: Vec<Vec<String>> = vec![Vec::new(); FIELDS.len()];
    for person in truth {
        let found = find(&people, person);
        for (i, field) in FIELDS.iter().enumerate() {
            let want = wanted(person, field);
            let got = found.map(|c| value(c, field));
            if got.as_deref() != Some(want.as_str()) {
                misses[i].push(format!(
                    "{} {}: {field} {got:?} ≠ {want:?}",
                    person["family"].as_str().unwrap_or(""),
                    person["given"].as_str().unwrap_or("")
                ));
            }
        }
    }
    let mut failed = Vec::new();
    for (field, missed) in FIELDS.iter().zip(&misses) {
        let share = 1.0 - missed.len() as f64 / truth.len() as f64;
        eprintln!(
            "{file} {field}: {:.2}% ({} missed)",
            share * 100.0,
            missed.len()
        );
        if share < GOAL {
            failed.push(format!(
                "{field}: {:.2}%\n  {}",
                share * 100.0,
                missed
                    .iter()
                    .take(15)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{file} below {GOAL}:\n{}",
        failed.join("\n")
    );
}

#[test]
fn realworld_xlsx_fields() {
    score("roster_realworld.xlsx");
}

#[test]
fn realworld_sjis_csv_fields() {
    score("roster_realworld_sjis.csv");
}
