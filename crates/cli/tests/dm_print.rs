//! `daicho export dm --format pdf-labels|pdf-postcard` (issue 21): the
//! label sheet named by `--template` (the office's saved one otherwise),
//! a start position, and a clear refusal of a sheet that does not exist.

use std::path::Path;
use std::process::{Command, Output};

use daicho_ledger::{Actor, Ledger};
use daicho_mailing::print::{save, saved};

fn export(db: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(["export", "dm", "--all", "--accept", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn pages(pdf: &Path) -> String {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    info.lines()
        .find(|l| l.starts_with("Pages:"))
        .map(|l| l.trim_start_matches("Pages:").trim().to_string())
        .unwrap_or(info)
}

#[test]
fn labels_fill_the_offices_sheet_from_the_start_position() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    let mut ledger = Ledger::open(&db).unwrap();
    ledger.add_sample_data(&Actor::system(), 30, 5).unwrap();
    // The office saved the 24面 sheet: 30 customers at most make ≤ 2 pages.
    let mut options = saved(&ledger).unwrap();
    options.sheet = "A4 24面 66×33.9".into();
    save(&mut ledger, &options).unwrap();
    drop(ledger);
    let out = dir.path().join("labels.pdf");
    let run = export(&db, &out, &["--format", "pdf-labels", "--start", "20"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert_eq!(pages(&out), "2", "five labels left on the first sheet");
}

#[test]
fn postcards_are_one_a_page_and_an_unknown_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    Ledger::open(&db)
        .unwrap()
        .add_sample_data(&Actor::system(), 3, 9)
        .unwrap();
    let out = dir.path().join("cards.pdf");
    let run = export(&db, &out, &["--format", "pdf-postcard"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let cards: u32 = pages(&out).parse().unwrap();
    assert!((1..=3).contains(&cards));
    let run = export(
        &db,
        &dir.path().join("x.pdf"),
        &["--format", "pdf-labels", "--template", "A4 99面"],
    );
    assert!(!run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("ラベル用紙「A4 99面」はありません"), "{said}");
    assert!(!dir.path().join("x.pdf").exists());
}
