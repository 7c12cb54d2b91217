//! `daicho export dm --template NAME` writes the columns of the template the
//! app saved, and the export applies the office's saved checks: the CLI
//! used to accept `--template` and ignore it, and check with the defaults.

use std::path::Path;
use std::process::{Command, Output};

use daicho_ledger::{Actor, Ledger};
use daicho_mailing::checks::CheckOptions;
use daicho_mailing::templates::{save_check_options, save_template, Template};
use daicho_mailing::{Column, DmField};

fn export(db: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(["export", "dm", "--all", "--format", "csv-utf8", "--out"])
        .arg(out)
        .args(extra)
        .args(["--json"])
        .output()
        .unwrap()
}

fn ledger_with_a_label_template(db: &Path) {
    let mut ledger = Ledger::open(db).unwrap();
    ledger.add_sample_data(&Actor::system(), 20, 3).unwrap();
    let columns = [(DmField::Name, "宛名"), (DmField::PostalCode, "〒")]
        .map(|(field, header)| Column {
            field,
            header: header.into(),
        })
        .to_vec();
    let template = Template {
        name: "宛名ラベル".into(),
        columns,
    };
    save_template(&mut ledger, &template).unwrap();
}

#[test]
fn the_saved_template_gives_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    ledger_with_a_label_template(&db);
    let out = dir.path().join("dm.csv");
    let run = export(&db, &out, &["--template", "宛名ラベル", "--accept"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(header, "宛名,〒");
}

#[test]
fn an_unknown_template_is_refused_naming_the_saved_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    ledger_with_a_label_template(&db);
    let out = dir.path().join("dm.csv");
    let run = export(&db, &out, &["--template", "はがき", "--accept"]);
    assert!(!run.status.success());
    let error: serde_json::Value = serde_json::from_slice(&run.stdout)
        .or_else(|_| serde_json::from_slice(&run.stderr))
        .unwrap();
    let text = error.to_string();
    assert!(
        text.contains("はがき") && text.contains("宛名ラベル"),
        "{text}"
    );
    assert!(!out.exists());
}

#[test]
fn the_offices_saved_checks_apply() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    ledger_with_a_label_template(&db);
    let mut ledger = Ledger::open(&db).unwrap();
    // Every name is longer than one character: with this saved check, the
    // export needs approval, as it does in the app.
    let strict = CheckOptions {
        max_name_chars: 1,
        ..CheckOptions::default()
    };
    save_check_options(&mut ledger, &strict).unwrap();
    drop(ledger);
    let out = dir.path().join("dm.csv");
    let run = export(&db, &out, &[]);
    assert!(
        !run.status.success(),
        "exported without approving the checks"
    );
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("needs_approval")
            || String::from_utf8_lossy(&run.stderr).contains("needs_approval")
    );
}
