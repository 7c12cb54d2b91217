//! `daicho duplicates`, `merge` and `merge-undo` run as an admin would.

mod common;
use common::{daicho, json};

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn add(db: &Path, args: &[&str]) -> i64 {
    let added = json(&daicho(db, &[&["add", "--json"], args].concat()));
    added[0]["id"].as_i64().unwrap()
}

#[test]
fn candidates_are_listed_with_their_reason_merged_and_the_merge_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let (kept, other) = three_taros(&db);

    let pairs = json(&daicho(&db, &["duplicates", "--json"]));
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (pairs[0]["a"]["id"].as_i64(), pairs[0]["b"]["id"].as_i64()),
        (Some(kept), Some(other))
    );
    assert_eq!(pairs[0]["reasons"], serde_json::json!(["name_phone"]));

    let bad = merge(&db, kept, other, "phone=maybe");
    assert!(!bad.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&bad.stdout).unwrap()["code"],
        "invalid"
    );

    let merged = json(&merge(&db, kept, other, "phone=other"));
    let merge_id = merged[0]["id"].as_i64().unwrap();
    let found = json(&daicho(&db, &["customers", "--json"]));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 2);
    let survivor = found
        .iter()
        .find(|c| c["id"].as_i64() == Some(kept))
        .unwrap();
    let values = ["phone", "mobile", "email"].map(|f| survivor[f].as_str().unwrap().to_string());
    assert_eq!(values, ["03-9999-0000", "03-1234-5678", "taro@example.jp"]);
    assert_eq!(
        json(&daicho(&db, &["duplicates", "--json"])),
        serde_json::json!([])
    );

    let undone = json(&daicho(
        &db,
        &["merge-undo", &merge_id.to_string(), "--json"],
    ));
    assert!(undone[0]["undone_at"].is_string());
    assert_eq!(listed(&db, "customers"), 3);
    assert_eq!(listed(&db, "duplicates"), 1);
    let again = daicho(&db, &["merge-undo", &merge_id.to_string()]);
    assert!(!again.status.success());
}

/// Three 山田太郎: the first two share a phone number (one as a mobile), the
/// third has another. Returns the ids of the first two.
fn three_taros(db: &Path) -> (i64, i64) {
    let kept = add(
        db,
        &[
            "--family",
            "山田",
            "--given",
            "太郎",
            "--phone",
            "03-1234-5678",
        ],
    );
    let other = add(
        db,
        &[
            "--family",
            "山田",
            "--given",
            "太郎",
            "--mobile",
            "0312345678",
            "--phone",
            "03-9999-0000",
            "--email",
            "taro@example.jp",
        ],
    );
    // Same name, another phone: not a candidate.
    add(
        db,
        &[
            "--family",
            "山田",
            "--given",
            "太郎",
            "--phone",
            "06-1234-5678",
        ],
    );
    (kept, other)
}

/// `daicho merge KEEP OTHER --take TAKE --json`.
fn merge(db: &Path, kept: i64, other: i64, take: &str) -> Output {
    daicho(
        db,
        &[
            "merge",
            &kept.to_string(),
            &other.to_string(),
            "--take",
            take,
            "--json",
        ],
    )
}

/// How many entries `daicho COMMAND --json` lists.
fn listed(db: &Path, command: &str) -> usize {
    json(&daicho(db, &[command, "--json"]))
        .as_array()
        .unwrap()
        .len()
}
