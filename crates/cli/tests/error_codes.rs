//! What `daicho --json` prints when a command fails: the code from the one
//! list the app also uses, the Japanese message, and for input that breaks
//! a rule the fields that were wrong, whichever crate refused it.

mod common;
use common::daicho_json;

use std::path::Path;

use serde_json::{json, Value};

/// The JSON a refused run printed on stdout.
fn refused(db: &Path, args: &[&str]) -> Value {
    let output = daicho_json(db, args);
    assert!(!output.status.success(), "{args:?} succeeded");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_export_that_fails_validation_prints_its_field_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let out = dir.path().join("dm.csv");
    let out = out.to_str().unwrap();
    for (option, value) in [
        ("--format", "pdf"),
        ("--order", "age"),
        ("--segment", "無い"),
    ] {
        let mut args = vec!["export", "dm", "--out", out, option, value];
        if option != "--segment" {
            args.push("--all");
        }
        let printed = refused(&db, &args);
        assert_eq!(printed["code"], "invalid", "{option}");
        let fields = printed["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 1, "{option}: {printed}");
        assert_eq!(fields[0]["field"], option.trim_start_matches("--"));
        let message = fields[0]["message"].as_str().unwrap();
        assert!(message.contains(value), "{option}: {message}");
        assert!(printed["message"].as_str().unwrap().contains(message));
    }
    assert!(!Path::new(out).exists());
}

#[test]
fn a_mailing_error_reaches_the_cli_with_its_code_and_no_fields() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let out = dir.path().join("dm.csv");
    let printed = refused(
        &db,
        &["export", "dm", "--all", "--out", out.to_str().unwrap()],
    );
    assert_eq!(printed["code"], "empty_list");
    assert_eq!(printed["fields"], json!([]));
    assert!(printed["message"].as_str().unwrap().contains("いない"));
}
