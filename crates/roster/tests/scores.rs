//! Every roster fixture imported as a new user would, and scored field by
//! field against its truth: the exact number of people, 99.5% on every
//! field (the prefecture and the city scored on their own) and 95% on the
//! status where the file has one. The mismatches are printed, so that a
//! regression names its cases.

mod common;

use common::{customers, digits, import};
use daicho_ledger::{Customer, Status};
use serde_json::Value;

/// The share of the truth's people whose field came out exactly right.
const GOAL: f64 = 0.995;
const STATUS_GOAL: f64 = 0.95;

const FIELDS: [&str; 13] = [
    "family",
    "given",
    "family_kana",
    "given_kana",
    "zip",
    "prefecture",
    "city",
    "street",
    "building",
    "phone",
    "birthday",
    "dm_opt_out",
    "status",
];

fn value(c: &Customer, field: &str, statuses: &[Status]) -> String {
    let f = &c.fields;
    match field {
        "family" => f.family_name.clone(),
        "given" => f.given_name.clone(),
        "family_kana" => f.family_kana.clone(),
        "given_kana" => f.given_kana.clone(),
        "zip" => f.postal_code.clone(),
        "prefecture" => f.prefecture.clone(),
        "city" => f.city.clone(),
        "street" => f.address1.clone(),
        "building" => f.address2.clone(),
        // A mobile number is kept in the mobile field, wherever it was written.
        "phone" if f.phone.is_empty() => digits(&f.mobile),
        "phone" => digits(&f.phone),
        "birthday" => f.birthday.clone().unwrap_or_default(),
        "dm_opt_out" => f.dm_opt_out.to_string(),
        "status" => statuses
            .iter()
            .find(|s| Some(s.id) == f.status_id)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        _ => unreachable!("{field}"),
    }
}

fn wanted(person: &Value, field: &str) -> String {
    match &person[field] {
        Value::Bool(b) => b.to_string(),
        v if field == "phone" => digits(v.as_str().unwrap_or("")),
        v => v.as_str().unwrap_or("").to_string(),
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
        .find(|c| {
            !phone.is_empty()
                && (digits(&c.fields.phone) == phone || digits(&c.fields.mobile) == phone)
        })
        .or_else(|| people.iter().find(name))
}

/// Scores a fixture; `without` names fields its truth does not score.
fn score(file: &str, without: &[&str]) {
    let imported = import(file);
    let people = customers(&imported.ledger);
    let statuses = imported.ledger.statuses().unwrap();
    let truth = imported.truth["people"].as_array().unwrap();
    let mut failed = Vec::new();
    if people.len() != truth.len() {
        failed.push(format!(
            "people: {} imported, {} in the truth",
            people.len(),
            truth.len()
        ));
    }
    for field in FIELDS.iter().filter(|f| !without.contains(f)) {
        let missed: Vec<String> = truth
            .iter()
            .filter_map(|person| {
                let want = wanted(person, field);
                let got = find(&people, person).map(|c| value(c, field, &statuses));
                (got.as_deref() != Some(want.as_str())).then(|| {
                    format!(
                        "{} {}: {got:?} ≠ {want:?}",
                        person["family"].as_str().unwrap_or(""),
                        person["given"].as_str().unwrap_or("")
                    )
                })
            })
            .collect();
        let share = 1.0 - missed.len() as f64 / truth.len() as f64;
        eprintln!(
            "{file} {field}: {:.2}% ({} missed)",
            share * 100.0,
            missed.len()
        );
        let goal = if *field == "status" {
            STATUS_GOAL
        } else {
            GOAL
        };
        if share < goal {
            failed.push(format!(
                "{field}: {:.2}%\n  {}",
                share * 100.0,
                missed
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    assert!(failed.is_empty(), "{file}:\n{}", failed.join("\n"));
}

#[test]
fn realworld_xlsx() {
    score("roster_realworld.xlsx", &[]);
}

#[test]
fn realworld_sjis_csv() {
    score("roster_realworld_sjis.csv", &[]);
}

#[test]
fn labelsoft_export_csv() {
    score("roster_labelsoft_export.csv", &[]);
}

#[test]
fn two_row_xlsx() {
    score("roster_two_row.xlsx", &[]);
}

#[test]
fn households_xlsx() {
    // No status column: the user picks one status for the whole file.
    score("roster_households.xlsx", &["status"]);
}
